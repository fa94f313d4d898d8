import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from './api';

/** The page heading; takes focus on navigation so screen readers announce the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} id="page-title">
      {children}
    </h1>
  );
}

const KIND_TITLES: Record<string, string> = {
  network: 'Serveur injoignable',
  unauthenticated: 'Authentification refusée',
  forbidden: 'Accès refusé pour ce rôle',
  validation: 'Saisie invalide',
  not_found: 'Introuvable',
  conflict: 'Conflit',
  business: 'Refusé par une règle de gestion',
  unavailable: 'API non disponible',
  server: 'Erreur du serveur',
};

/** An error as the server stated it: title, detail, code, and per-field messages with their rule IDs. */
export function ErrorBox({ error, context }: { error: ApiError; context?: string }) {
  return (
    <div class="error" role="alert">
      <p class="error-title">
        <strong>{KIND_TITLES[error.kind] ?? 'Erreur'}</strong>
        {context ? ` — ${context}` : ''}
        {error.status ? <span class="muted"> (HTTP {error.status}{error.code ? `, ${error.code}` : ''})</span> : error.code ? <span class="muted"> ({error.code})</span> : null}
      </p>
      <p>{error.message}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e, i) => (
            <li key={i}>
              {e.field ? <code>{e.field}</code> : null}
              {e.field ? ' : ' : ''}
              {e.message}
              {e.rule ? <span class="rule"> [{e.rule}]</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A screen or panel whose GraphQL API the server does not offer (yet): said plainly, no made-up data. */
export function Unavailable({ api, detail }: { api: string; detail?: ComponentChildren }) {
  return (
    <div class="unavailable" role="status">
      <p>
        <strong>Non disponible :</strong> l'API GraphQL {api} n'existe pas encore sur ce serveur. Cet écran n'affiche donc aucune donnée.
      </p>
      {detail ? <p class="muted">{detail}</p> : null}
    </div>
  );
}

export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" class="muted">
      {label}
    </p>
  );
}

/** Shows loading / error / unavailable for a query result, or the children once data is there. */
export function QueryResult<T>({ state, api, children }: { state: { data: T | null; error: ApiError | null; loading: boolean }; api: string; children: (data: T) => ComponentChildren }) {
  if (state.error?.kind === 'unavailable') return <Unavailable api={api} detail={state.error.message} />;
  if (state.error) return <ErrorBox error={state.error} />;
  if (state.loading || state.data === null) return <Loading />;
  return <>{children(state.data)}</>;
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'ok' | 'warn' | 'danger' | 'info'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}
