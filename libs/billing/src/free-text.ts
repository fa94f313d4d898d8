import type { FreeTextFields } from '@oksio/kernel';
import type { LedgerEvent } from './domain/ledger';
import type { MandateEvent } from './domain/mandate';
import type { ChargesEvent } from './domain/charges';

/**
 * The Billing context's free-text event fields (issue 18 item 7): a dispute's reasons and its
 * resolution note, a payment's reject reason, why a mandate is revoked, a charge's note. Sealed at
 * append for the customer (a charge's account stream names no customer: sealed for the platform
 * subject). A credit note's reason is not: it is printed on the credit note, an accounting
 * document kept ten years (legal hold "invoice", PRV-02) like the invoice lines.
 */
export const BILLING_FREE_TEXT: ReadonlyArray<FreeTextFields<any>> = [
  { PaymentRejected: ['reason'], DisputeOpened: ['reasons'], DisputeResolved: ['note'] } satisfies FreeTextFields<LedgerEvent>,
  { SepaMandateRevoked: ['reason'] } satisfies FreeTextFields<MandateEvent>,
  { ChargeRecorded: ['note'] } satisfies FreeTextFields<ChargesEvent>,
];
