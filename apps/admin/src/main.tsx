import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import './styles.css';
import { ApiError } from './api';
import { ErrorBox } from './components';
import { formatDateTimeLong, ROLE_LABELS } from './format';
import { Link, navigate, useRoute } from './router';
import { openSession, type Session, SessionContext, useNow, useSession } from './session';
import { CustomerDetail, CustomerSearch } from './screens/customers';
import { EventTimeline } from './screens/events';
import { PrivacyScreen } from './screens/privacy';
import { TestClockScreen } from './screens/test-clock';
import { IncidentsScreen } from './screens/incidents';
import { PortingScreen } from './screens/porting';
import { BillingScreen } from './screens/billing';

function Login({ onSession, notice }: { onSession: (s: Session) => void; notice: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await openSession(key.trim());
      if (session.role === 'system') {
        setError(new ApiError("Cette clé appartient à un système interne (rôle « system ») : la console est réservée aux rôles support, admin et auditor.", 'forbidden', 'forbidden', 403));
        return;
      }
      setKey('');
      onSession(session);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e), 'server'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login">
      <h1>OKSIO — console support</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} aria-describedby="login-help">
        <label for="api-key">Clé d'API</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellcheck={false} required value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} autoFocus />
        <p id="login-help" class="muted">
          Collez votre clé (rôle support, admin ou auditor). Elle reste en mémoire pour cette session seulement : elle n'est jamais enregistrée dans le navigateur et disparaît à la déconnexion ou au rechargement de la page.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
      {error ? <ErrorBox error={error} context="connexion" /> : null}
    </main>
  );
}

const NAV: Array<{ to: string; label: string }> = [
  { to: 'customers', label: 'Clients' },
  { to: 'incidents', label: 'Incidents' },
  { to: 'porting', label: 'Portabilité' },
  { to: 'billing', label: 'Facturation' },
  { to: 'privacy', label: 'Données personnelles' },
  { to: 'events', label: "Journal d'événements" },
  { to: 'test-clock', label: 'Horloge de test' },
];

function ServerTime() {
  const { session } = useSession();
  const now = useNow(1000);
  const offset = now - Date.now();
  const travelled = session.testClockEnabled && (session.clockFrozen || Math.abs(offset) > 60_000);
  return (
    <p class="server-time">
      <span class="muted">Heure métier (Paris) : </span>
      <time dateTime={new Date(now).toISOString()} data-testid="server-time">
        {formatDateTimeLong(now)}
      </time>
      {travelled ? <span class="badge badge-warn">horloge de test{session.clockFrozen ? ' (figée)' : ''}</span> : null}
    </p>
  );
}

function Screen() {
  const route = useRoute();
  const [section, ...rest] = route.segments;
  useEffect(() => {
    if (!section) navigate('customers', true);
  }, [section]);
  switch (section) {
    case 'customers':
      return rest[0] ? <CustomerDetail customerId={rest[0]} /> : <CustomerSearch query={route.params.get('q') ?? ''} />;
    case 'incidents':
      return <IncidentsScreen ticketId={rest[0] ?? null} />;
    case 'porting':
      return <PortingScreen />;
    case 'billing':
      return <BillingScreen customerId={route.params.get('customer')} />;
    case 'privacy':
      return <PrivacyScreen subjectId={route.params.get('subject') ?? ''} />;
    case 'events':
      return <EventTimeline streamId={rest.join('/')} />;
    case 'test-clock':
      return <TestClockScreen />;
    case undefined:
      return null;
    default:
      return (
        <section>
          <h1>Page inconnue</h1>
          <p>
            Cette adresse ne correspond à aucun écran. <Link to="customers">Retour à la recherche de clients</Link>.
          </p>
        </section>
      );
  }
}

function Shell() {
  const { session, logout } = useSession();
  const route = useRoute();
  const section = route.segments[0];
  return (
    <>
      <a class="skip" href="#main">
        Aller au contenu
      </a>
      <header class="top">
        <p class="brand">OKSIO — console support</p>
        <ServerTime />
        <p class="who">
          <span data-testid="who">{session.actorId}</span> · {ROLE_LABELS[session.role] ?? session.role}
          {session.environment !== 'production' ? <span class="badge badge-info">{session.environment}</span> : null}
        </p>
        <button type="button" class="secondary" onClick={() => logout()}>
          Se déconnecter
        </button>
      </header>
      <nav aria-label="Écrans">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={section === item.to ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Screen key={route.path} />
      </main>
    </>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const logout = useCallback((message?: string) => {
    setSession(null);
    setNotice(message ? `Session fermée : ${message}` : 'Vous êtes déconnecté ; la clé a été oubliée.');
  }, []);
  const refresh = useCallback(async () => {
    if (!session) return;
    try {
      const next = await openSession(session.apiKey);
      setSession(next);
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'unauthenticated') logout(e.message);
    }
  }, [session?.apiKey]);
  // Re-synchronise the business clock with the server every 30 s (test clock moves, drift).
  useEffect(() => {
    if (!session) return;
    const id = setInterval(() => void refresh(), 30_000);
    return () => clearInterval(id);
  }, [refresh, session?.apiKey]);
  if (!session)
    return (
      <Login
        notice={notice}
        onSession={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
  return (
    <SessionContext.Provider value={{ session, refresh, logout }}>
      <Shell />
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
