import type { EntityManager } from 'typeorm';
import type { PiiCategory } from '../crypto/pii';
import type { ExportContributor, Redactor } from '../registry/personal-data.registry';
import { accountStream } from './account.decider';
import { pbxFilesStream } from './pbx-files.decider';

function idOf(subjectId: string, prefix: string): string | null {
  return subjectId.startsWith(`${prefix}-`) ? subjectId.slice(prefix.length + 1) : null;
}

/**
 * Portal read models holding clear personal data: the login (identity) of a portal user, the
 * messages waiting in the outbox, and the hosted-PBX files of a customer (PRV-03).
 */
export const portalRedactor: Redactor = async (subjectId: string, categories: PiiCategory[], tx: EntityManager) => {
  const userId = idOf(subjectId, 'portaluser');
  if (userId && categories.includes('identity_contact')) {
    await tx.query('DELETE FROM portal_credentials WHERE user_id::text = $1', [userId]);
    await tx.query('DELETE FROM portal_outbox WHERE user_id::text = $1', [userId]);
    await tx.query(`UPDATE portal_sessions SET closed_at = now(), close_reason = 'erased' WHERE user_id::text = $1 AND closed_at IS NULL`, [userId]);
  }
  const customerId = idOf(subjectId, 'customer');
  if (customerId && categories.includes('hosted_pbx')) {
    await tx.query('UPDATE pbx_files SET content = NULL, erased = true WHERE customer_id::text = $1', [customerId]);
  }
};

export const portalContributor: ExportContributor = async (subjectId: string, manager: EntityManager) => {
  const userId = idOf(subjectId, 'portaluser');
  if (userId) {
    const users: Array<Record<string, unknown>> = await manager.query(
      `SELECT u.user_id, u.account_id, u.role, u.status, u.expires_at, c.login
       FROM portal_users u LEFT JOIN portal_credentials c ON c.user_id = u.user_id WHERE u.user_id::text = $1`,
      [userId],
    );
    return {
      records: users.map((u) => ({ source: 'portal.users', category: 'identity_contact' as const, data: { userId: u.user_id, accountId: u.account_id, role: u.role, status: u.status, expiresAt: u.expires_at, login: u.login } })),
      streams: users.map((u) => accountStream(String(u.account_id))),
    };
  }
  const customerId = idOf(subjectId, 'customer');
  if (customerId) {
    const files: Array<Record<string, unknown>> = await manager.query(
      'SELECT account_id, file_id, content, erased, last_updated_by, last_updated_at FROM pbx_files WHERE customer_id::text = $1 ORDER BY file_id',
      [customerId],
    );
    return {
      records: files.map((f) => ({ source: 'portal.pbx_files', category: 'hosted_pbx' as const, data: { fileId: f.file_id, content: f.content, erased: f.erased, lastUpdatedBy: f.last_updated_by, lastUpdatedAt: f.last_updated_at } })),
      streams: [...new Set(files.map((f) => pbxFilesStream(String(f.account_id))))],
    };
  }
  return { records: [], streams: [] };
};
