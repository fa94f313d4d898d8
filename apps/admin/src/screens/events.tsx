import { useState } from 'preact/hooks';
import { Badge, PageTitle, QueryResult } from '../components';
import { formatDateTime, formatDateTimeLong, ROLE_LABELS } from '../format';
import { navigate } from '../router';
import { ApiError, graphql, restGet } from '../api';
import { useAsync } from '../session';

interface RecordedEvent {
  eventId: string;
  revision: number;
  globalPosition: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: {
    occurredAt: string;
    recordedAt: string;
    actor: { id: string; role: string };
    correlationId: string;
    causationId: string | null;
    commandId: string | null;
    reason: string | null;
  };
  prevHash: string | null;
  hash: string;
}

interface ChainCheck {
  valid: boolean;
  problemKind: string | null;
  badEventId: string | null;
  badRevision: number | null;
  message: string | null;
}

const VERIFY = `query VerifyStream($streamId: String!) { verifyStream(streamId: $streamId) { valid problemKind badEventId badRevision message } }`;
/** The API answers a stream 200 events at a time (`offset` = first revision); the timeline reads up to 1,000. */
const PAGE = 200;
const MAX_EVENTS = 1000;
const EVENTS = `query StreamEvents($streamId: String!, $offset: Int!) {
  streamEvents(streamId: $streamId, limit: ${PAGE}, offset: $offset) {
    eventId revision globalPosition type schemaVersion data prevHash hash
    metadata { occurredAt recordedAt actor { id role } correlationId causationId commandId reason }
  }
}`;

/**
 * GraphQL `streamEvents` first. Its metadata timestamps fail to serialise on servers where the audit
 * resolver hands ISO strings to the DateTime scalar (a server error, not a refusal); then the same
 * AuditService is read through its REST twin, GET /audit/streams/{id}/events (same roles).
 */
async function loadTimeline(apiKey: string, streamId: string, signal: AbortSignal): Promise<{ verifyStream: ChainCheck; streamEvents: RecordedEvent[] }> {
  const { verifyStream } = await graphql<{ verifyStream: ChainCheck }>(apiKey, VERIFY, { streamId }, { signal });
  const streamEvents: RecordedEvent[] = [];
  for (let offset = 0; offset < MAX_EVENTS; offset += PAGE) {
    let page: RecordedEvent[];
    try {
      page = (await graphql<{ streamEvents: RecordedEvent[] }>(apiKey, EVENTS, { streamId, offset }, { signal })).streamEvents;
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'server') throw error;
      page = (await restGet<{ events: RecordedEvent[] }>(apiKey, `/audit/streams/${encodeURIComponent(streamId)}/events?limit=${PAGE}&offset=${offset}`, signal)).events;
    }
    streamEvents.push(...page);
    if (page.length < PAGE) break;
  }
  return { verifyStream, streamEvents };
}

function short(hash: string | null): string {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

function ChainBanner({ check, count }: { check: ChainCheck; count: number }) {
  if (check.valid)
    return (
      <p class="chain chain-ok" role="status" data-testid="chain-check">
        <strong>Chaîne de hachage vérifiée :</strong> intègre ({count} événement{count > 1 ? 's' : ''} ; aucun événement modifié, supprimé ou réordonné).
      </p>
    );
  return (
    <div class="chain chain-bad" role="alert" data-testid="chain-check">
      <p>
        <strong>Chaîne de hachage rompue</strong>
        {check.badRevision !== null ? ` à la révision ${check.badRevision}` : ''} ({check.problemKind ?? 'anomalie'}).
      </p>
      <p>{check.message}</p>
      {check.badEventId ? (
        <p>
          Événement en cause : <code>{check.badEventId}</code>
        </p>
      ) : null}
    </div>
  );
}

/** Any stream's history: who, when (business and recorded time), why, with the hash-chain check. */
export function EventTimeline({ streamId }: { streamId: string }) {
  const [text, setText] = useState(streamId);
  const result = useAsync((apiKey, signal) => loadTimeline(apiKey, streamId, signal), [streamId], streamId === '');
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Journal d'événements{streamId ? ` — ${streamId}` : ''}</PageTitle>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) navigate(`events/${text.trim()}`);
        }}
      >
        <label for="stream-id">Flux (stream)</label>
        <input id="stream-id" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="ex. customer-0195…, ticket-…, dsr-…" spellcheck={false} />
        <button type="submit">Afficher</button>
      </form>
      <p class="muted">Lecture réservée aux rôles auditor et admin (piste d'audit).</p>
      {streamId === '' ? null : (
        <QueryResult state={result} api="Audit (streamEvents, verifyStream)">
          {(data) =>
            data.streamEvents.length === 0 ? (
              <p role="status">Aucun événement dans le flux « {streamId} ».</p>
            ) : (
              <>
                <ChainBanner check={data.verifyStream} count={data.streamEvents.length} />
                <ol class="timeline" aria-label={`Événements du flux ${streamId}`}>
                  {data.streamEvents.map((e) => (
                    <li key={e.eventId} class={data.verifyStream.badRevision === e.revision ? 'bad' : undefined}>
                      <h2 class="event-title">
                        <span class="rev">#{e.revision}</span> {e.type}
                        {e.schemaVersion > 1 ? <Badge>v{e.schemaVersion}</Badge> : null}
                      </h2>
                      <dl class="facts compact">
                        <dt>Quand (métier)</dt>
                        <dd>
                          <time dateTime={e.metadata.occurredAt} title={formatDateTimeLong(e.metadata.occurredAt)}>
                            {formatDateTime(e.metadata.occurredAt)}
                          </time>
                        </dd>
                        <dt>Enregistré</dt>
                        <dd>
                          <time dateTime={e.metadata.recordedAt}>{formatDateTime(e.metadata.recordedAt)}</time>
                        </dd>
                        <dt>Qui</dt>
                        <dd>
                          {e.metadata.actor.id} <span class="muted">({ROLE_LABELS[e.metadata.actor.role] ?? e.metadata.actor.role})</span>
                        </dd>
                        <dt>Pourquoi</dt>
                        <dd>{e.metadata.reason ?? <span class="muted">non précisé</span>}</dd>
                        <dt>Corrélation</dt>
                        <dd>
                          <code>{e.metadata.correlationId}</code>
                          {e.metadata.causationId ? (
                            <>
                              {' '}
                              · cause <code>{e.metadata.causationId}</code>
                            </>
                          ) : null}
                        </dd>
                        <dt>Hachage</dt>
                        <dd>
                          <code title={e.hash}>{short(e.hash)}</code> <span class="muted">précédent</span> <code title={e.prevHash ?? ''}>{short(e.prevHash)}</code>
                        </dd>
                      </dl>
                      <details>
                        <summary>Données de l'événement</summary>
                        <pre>{JSON.stringify(e.data, null, 2)}</pre>
                      </details>
                    </li>
                  ))}
                </ol>
              </>
            )
          }
        </QueryResult>
      )}
    </section>
  );
}
