import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '@oksio/event-store';
import type { RowBatch } from '@oksio/platform';
import type { ResolvedTerms } from '../domain/terms';
import { SubscriptionTermsRow } from './subscription.entities';

/**
 * Resolved terms stored once per distinct content (`subscription_terms`), by a hash of their
 * canonical JSON: contract rows and the projection's folded states refer to them by that id.
 */

/**
 * Terms objects are never mutated (states are immutable): the id is computed once per object, and
 * once per serialised form (the same JSON text is the same content; each contract's terms are a
 * separate object parsed from its own event, and hashing the canonical form per contract was a
 * tenth of a rebuild's CPU).
 */
const KNOWN_LIMIT = 10_000;
const idsByObject = new WeakMap<object, string>();
const idsByText = new Map<string, string>();

export function termsIdOf(terms: ResolvedTerms): string {
  let id = idsByObject.get(terms);
  if (!id) {
    const text = JSON.stringify(terms);
    id = idsByText.get(text);
    if (!id) {
      id = createHash('sha256').update(canonicalJson(terms)).digest('hex');
      if (idsByText.size >= KNOWN_LIMIT) idsByText.clear();
      idsByText.set(text, id);
    }
    idsByObject.set(terms, id);
  }
  return id;
}

/** Records the terms with the batch's writes (once per content) and returns their id. */
export function writeTerms(terms: ResolvedTerms, rows: RowBatch): string {
  const termsId = termsIdOf(terms);
  rows.insertIfAbsent(SubscriptionTermsRow, { termsId, terms });
  return termsId;
}

/** Content-addressed, so an id's terms never change: kept in memory (bounded) once read. */
const known = new Map<string, ResolvedTerms>();

/** The terms of each id (one query for those not yet known); an unknown id is an error. */
export async function readTerms(read: Pick<EntityManager, 'query'>, ids: Iterable<string>): Promise<Map<string, ResolvedTerms>> {
  const wanted = [...new Set(ids)];
  const missing = wanted.filter((id) => !known.has(id));
  if (missing.length > 0) {
    const rows: Array<{ terms_id: string; terms: ResolvedTerms }> = await read.query(
      'SELECT terms_id, terms FROM subscription_terms WHERE terms_id = ANY($1::text[])',
      [missing],
    );
    if (known.size + rows.length > KNOWN_LIMIT) known.clear();
    for (const r of rows) known.set(r.terms_id, r.terms);
  }
  return new Map(
    wanted.map((id) => {
      const terms = known.get(id);
      if (!terms) throw new Error(`subscription_terms has no terms ${id}`);
      return [id, terms];
    }),
  );
}
