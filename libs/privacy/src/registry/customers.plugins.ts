import type { EntityManager } from 'typeorm';
import type { PiiCategory } from '../crypto/pii';
import type { ExportContributor, Redactor } from './personal-data.registry';

/**
 * Redactor and export contributor for the subscription context's customer directory, registered
 * by the privacy module (the customers context predates the registry). They address the read
 * model by table name, so the privacy library does not import the subscription library (which
 * itself imports the vault from here). Contact subjects are `contact-<contactId>`.
 */
async function tableExists(manager: EntityManager, table: string): Promise<boolean> {
  const rows: Array<{ ok: boolean }> = await manager.query('SELECT to_regclass($1) IS NOT NULL AS ok', [table]);
  return rows[0]?.ok === true;
}

function idOf(subjectId: string, prefix: string): string | null {
  return subjectId.startsWith(`${prefix}-`) ? subjectId.slice(prefix.length + 1) : null;
}

export const customerContactsRedactor: Redactor = async (subjectId: string, categories: PiiCategory[], tx: EntityManager) => {
  const contactId = idOf(subjectId, 'contact');
  if (!contactId || !categories.includes('identity_contact') || !(await tableExists(tx, 'customer_contacts'))) return;
  await tx.query('UPDATE customer_contacts SET name = NULL, email = NULL, phone = NULL, erased = true WHERE contact_id::text = $1', [contactId]);
};

export const customerContactsContributor: ExportContributor = async (subjectId, manager) => {
  const contactId = idOf(subjectId, 'contact');
  const customerId = idOf(subjectId, 'customer');
  if (customerId) return { records: [], streams: [`customer-${customerId}`] };
  if (!contactId || !(await tableExists(manager, 'customer_contacts'))) return { records: [], streams: [] };
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT contact_id, customer_id, role, authorised_for_support, name, email, phone, erased
     FROM customer_contacts WHERE contact_id::text = $1`,
    [contactId],
  );
  return {
    records: rows.map((r) => ({
      source: 'subscription.customer_contacts',
      category: 'identity_contact' as const,
      data: {
        contactId: r.contact_id,
        customerId: r.customer_id,
        role: r.role,
        authorisedForSupport: r.authorised_for_support,
        name: r.name,
        email: r.email,
        phone: r.phone,
        erased: r.erased,
      },
    })),
    streams: rows.map((r) => `customer-${String(r.customer_id)}`),
  };
};
