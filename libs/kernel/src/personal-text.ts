import type { DomainEvent } from './decider';

/**
 * Personal data as stored: the envelope the personal-data vault writes (`{ $pii: 1, subject,
 * category, keyId, iv, ct, tag }`, AES-256-GCM under the subject's data key). The domain never
 * opens it; it only carries it.
 */
export interface SealedText {
  readonly $pii: 1;
}

/**
 * Free text typed by people (a ticket's description, a note, a reason). It can name anyone, so it
 * is personal data: a decider decides on the string, and the platform seals it for the stream's
 * data subject before it is stored (issue 18 item 7). Events written before that hold the string.
 */
export type PersonalText = string | SealedText;

/**
 * The free-text fields of each event type (top-level data fields; the whole value of a field is
 * sealed). A context declares them next to its events; the platform seals them at append time.
 */
export type FreeTextFields<E extends DomainEvent = DomainEvent> = {
  readonly [T in E['type']]?: ReadonlyArray<keyof Extract<E, { type: T }>['data'] & string>;
};

export function isSealedText(value: unknown): value is SealedText {
  return typeof value === 'object' && value !== null && (value as { $pii?: unknown }).$pii === 1;
}
