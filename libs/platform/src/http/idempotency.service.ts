import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, DomainError, deterministicId } from '@oksio/kernel';
import { canonicalJson } from '@oksio/event-store';
import { isDatabaseUnavailable } from './problem.filter';

/**
 * A claim still unanswered after this long belongs to a process that died mid-request (a live
 * request is bounded by the HTTP timeouts well below it). It is taken over rather than pinning the
 * key forever; the command id derived from the key makes the event store write at most once anyway.
 */
export const ABANDONED_CLAIM_SECONDS = 120;

/** How often a release the database refused (it was down) is tried again. */
const RELEASE_RETRY_MS = 1000;

/** One use of an Idempotency-Key: whose key, and what was asked with it (operation + canonical input). */
export interface IdempotentUse {
  /** `role:id` of the API key: keys are per client. */
  principal: string;
  key: string;
  /** `fingerprint(operation, input)` of the request. */
  fingerprint: string;
}

export type ClaimOutcome =
  /** This request runs: the key is claimed for it. */
  | { kind: 'run' }
  /** The first request with this key and input already answered: that answer again. */
  | { kind: 'replay'; status: number; body: any; headers: Record<string, string> };

/**
 * Idempotency-Key for every interface (REST interceptor, GraphQL mutations): one key space per
 * client (the same key over REST and GraphQL is one key), bound at its first use to one operation
 * and one input. The first use claims the key (a row in `idempotency_keys`, primary key
 * (principal, key), so of concurrent first uses exactly one runs); its answer (status, body, ETag,
 * errors included, except 5xx) is stored and replayed to the same request; another operation or
 * input under that key is a 422 `idempotency_key_reused`, a use while the first runs a 409
 * `idempotency_request_in_progress`.
 *
 * A 5xx releases the claim for the same request only: a retry of it runs again at once (the
 * command id derived from the key keeps the event store from writing twice), another request under
 * the key is still refused — the first one may have written part of its effects. When the database
 * is down the release itself fails: it is then retried in the background and before this process's
 * next claim, so a retry after the outage is not held for ABANDONED_CLAIM_SECONDS.
 */
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');
  /** Releases the database refused, by `principal \u0000 key`, still to be made. */
  private readonly pendingReleases = new Map<string, { principal: string; key: string; fingerprint: string }>();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly options: { abandonedClaimSeconds?: number; releaseRetryMs?: number } = {},
  ) {}

  /** The command id every interface gives a command sent with this key: the event store writes it once. */
  static commandId(principal: string, key: string): string {
    return deterministicId('idempotency', principal, key);
  }

  /** The request's identity under a key: the operation's name and its input in canonical JSON. */
  static fingerprint(operation: string, input: unknown): string {
    // Through JSON first: what a client can send (dates become their text, undefined disappears).
    const json = input === undefined ? null : JSON.parse(JSON.stringify(input) ?? 'null');
    return createHash('sha256').update(`${operation}\n${canonicalJson(json)}`).digest('hex');
  }

  async claim(use: IdempotentUse): Promise<ClaimOutcome> {
    await this.flushReleases();
    let claimed;
    try {
      claimed = await this.pool.query('INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        use.principal,
        use.key,
        use.fingerprint,
      ]);
    } catch (error) {
      // The connection may have dropped after the claim was committed: released for this request
      // (it matches this fingerprint only), so that the client's retry is not held.
      if (isDatabaseUnavailable(error)) this.releaseLater(use);
      throw error;
    }
    if (claimed.rowCount === 1 || (await this.takeOver(use))) return { kind: 'run' };
    const { rows } = await this.pool.query<{ request_hash: string; status_code: number | null; response: any; response_headers: Record<string, string> | null }>(
      'SELECT request_hash, status_code, response, response_headers FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [use.principal, use.key],
    );
    const row = rows[0];
    if (!row) throw new ConflictError('idempotency_request_in_progress', 'A request with this Idempotency-Key is being retried; try again', [{ field: 'Idempotency-Key', message: 'in progress' }]);
    if (row.request_hash !== use.fingerprint) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another operation or another input: use a new key for a new request', undefined, 'Idempotency-Key');
    }
    if (row.status_code === null) {
      throw new ConflictError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running', [{ field: 'Idempotency-Key', message: 'in progress' }]);
    }
    return { kind: 'replay', status: row.status_code, body: row.response, headers: row.response_headers ?? {} };
  }

  /** Stores the answer of a claimed request (errors below 500 included). */
  async complete(use: IdempotentUse, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4, response_headers = $5 WHERE principal = $1 AND key = $2', [
      use.principal,
      use.key,
      status,
      JSON.stringify(body ?? null),
      JSON.stringify(headers),
    ]);
  }

  /** After a 5xx: the same request may run again at once. Never throws (the 5xx is what the client must see). */
  async release(use: IdempotentUse): Promise<void> {
    try {
      await this.releaseNow(use);
    } catch (error) {
      this.logger.warn(`release of an Idempotency-Key claim failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      this.releaseLater(use);
    }
  }

  private releaseLater(use: IdempotentUse): void {
    this.pendingReleases.set(`${use.principal}\u0000${use.key}`, { principal: use.principal, key: use.key, fingerprint: use.fingerprint });
    this.scheduleRetry();
  }

  /** Makes the releases the database refused earlier; those it still refuses stay pending. */
  async flushReleases(): Promise<void> {
    for (const [id, use] of [...this.pendingReleases]) {
      try {
        await this.releaseNow(use);
        this.pendingReleases.delete(id);
      } catch {
        return; // still down: the next claim or the timer tries again
      }
    }
  }

  /** Releases not made yet (the database refused them). */
  get pendingReleaseCount(): number {
    return this.pendingReleases.size;
  }

  /** Stops the background retry (Nest calls it at shutdown). */
  onModuleDestroy(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async releaseNow(use: { principal: string; key: string; fingerprint: string }): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET released = true WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL', [
      use.principal,
      use.key,
      use.fingerprint,
    ]);
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flushReleases().finally(() => {
        if (this.pendingReleases.size > 0) this.scheduleRetry();
      });
    }, this.options.releaseRetryMs ?? RELEASE_RETRY_MS);
    this.retryTimer.unref();
  }

  /** The same request takes over a claim released after a 5xx, or one abandoned by a dead process. */
  private async takeOver(use: IdempotentUse): Promise<boolean> {
    const taken = await this.pool.query(
      `UPDATE idempotency_keys SET created_at = now(), released = false
        WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL
          AND (released OR created_at < now() - make_interval(secs => $4))`,
      [use.principal, use.key, use.fingerprint, this.options.abandonedClaimSeconds ?? ABANDONED_CLAIM_SECONDS],
    );
    return taken.rowCount === 1;
  }
}
