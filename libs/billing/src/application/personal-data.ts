import type { EntityManager } from 'typeorm';
import type { ExportContributor, Redactor } from '@oksio/privacy';
import { mandateStream } from '../domain';

/**
 * Billing's plug-ins to the privacy registry (PRV-01, PRV-04). The IBAN of a SEPA mandate is
 * `bank_details` of the data subject `customer-<customerId>`: encrypted in `SepaMandateSigned`,
 * masked in `billing_mandates`. The redactor blanks the masked form when the bank details are
 * erased (the event's ciphertext became unreadable with the key); the contributor lists the
 * mandates and names the mandate stream, whose events the export decrypts for that subject only.
 */
const customerOf = (subjectId: string): string | null => (subjectId.startsWith('customer-') ? subjectId.slice('customer-'.length) : null);

export const billingMandatesRedactor: Redactor = async (subjectId, categories, tx: EntityManager) => {
  const customerId = customerOf(subjectId);
  if (!customerId || !categories.includes('bank_details')) return;
  await tx.query('UPDATE billing_mandates SET iban_masked = NULL, iban_erased = true WHERE customer_id = $1', [customerId]);
};

export const billingMandatesContributor: ExportContributor = async (subjectId, manager) => {
  const customerId = customerOf(subjectId);
  if (!customerId) return { records: [], streams: [] };
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT mandate_id, iban_masked, iban_erased, bic, to_char(signed_on, 'YYYY-MM-DD') AS signed_on, status, superseded_by, to_char(ended_on, 'YYYY-MM-DD') AS ended_on
     FROM billing_mandates WHERE customer_id = $1 ORDER BY signed_on, mandate_id`,
    [customerId],
  );
  return {
    records: rows.map((r) => ({
      source: 'billing.billing_mandates',
      category: 'bank_details' as const,
      data: { mandateId: r.mandate_id, ibanMasked: r.iban_masked, erased: r.iban_erased, bic: r.bic, signedOn: r.signed_on, status: r.status, supersededBy: r.superseded_by, endedOn: r.ended_on },
    })),
    streams: rows.length > 0 ? [mandateStream(customerId)] : [],
  };
};
