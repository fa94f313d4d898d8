import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, NotFoundError, ValidationError, newId } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository, ForbiddenError } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { fileAccessProblem, pbxFilesDecider, pbxFilesStream } from './pbx-files.decider';
import { PbxFileRow, PortalUserRow } from './portal.entities';
import type { InviteDto, PbxUserDto } from './portal.dto';
import { PortalService } from './portal.service';
import type { PortalPrincipal } from './sessions.service';

export const PBX_EXPORT_FORMATS = ['txt', 'csv', 'xml'] as const;
export type PbxExportFormat = (typeof PBX_EXPORT_FORMATS)[number];

/**
 * Hosted-PBX access and data (ACC-09, PRV-03, PRV-08): the client designates an administrator,
 * who receives the first credentials and authorises internal users (every file) and external
 * users (their own files, by function and duration); OKSIO sees how many authorisations of each
 * type are in force. Every file update is traced; the files are exported on request in txt, csv
 * or XML and destroyed with the customer's `hosted_pbx` key.
 */
@Injectable()
export class PbxService {
  constructor(
    private readonly portal: PortalService,
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async designateAdministrator(principal: PortalPrincipal, dto: InviteDto, ctx: CommandContext) {
    const userId = newId();
    const administrator = await this.portal.protect(userId, { name: dto.name, email: dto.email });
    const result = await this.portal.execute(principal.accountId, { type: 'DesignatePbxAdministrator', byUserId: principal.userId, userId, administrator }, ctx);
    for (const e of result.events) if (e.type === 'PbxUserRevoked') await this.portal.withdrawAccess(e.data.userId, 'revoked');
    await this.portal.invite(principal.accountId, userId, dto, 'désignation comme administrateur du standard hébergé (premiers identifiants)');
    return { userId, role: 'pbx_admin', status: 'invited' };
  }

  async authoriseUser(principal: PortalPrincipal, dto: PbxUserDto, ctx: CommandContext) {
    const userId = newId();
    const user = await this.portal.protect(userId, { name: dto.name, email: dto.email });
    await this.portal.execute(
      principal.accountId,
      {
        type: 'AuthorisePbxUser',
        byUserId: principal.userId,
        userId,
        access: dto.access,
        user,
        files: dto.files ?? null,
        function: dto.function ?? null,
        expiresAt: dto.expiresAt ?? null,
      },
      ctx,
    );
    await this.portal.invite(principal.accountId, userId, dto, `autorisation d'accès ${dto.access === 'internal' ? 'interne' : 'externe'} au standard hébergé`);
    return { userId, access: dto.access, status: 'invited', files: dto.files ?? null, expiresAt: dto.expiresAt ?? null };
  }

  async revokeUser(principal: PortalPrincipal, userId: string, ctx: CommandContext) {
    await this.portal.execute(principal.accountId, { type: 'RevokePbxUser', byUserId: principal.userId, userId }, ctx);
    await this.portal.withdrawAccess(userId, 'revoked');
    return { userId, status: 'revoked' };
  }

  /** ACC-09: the number and type of authorisations in force, for OKSIO. */
  async authorisations(accountId: string) {
    await this.portal.loadAccount(accountId);
    const now = this.clock.now();
    const users = await this.dataSource.getRepository(PortalUserRow).find({ where: { accountId } });
    const inForce = users.filter((u) => u.role.startsWith('pbx_') && u.status !== 'revoked' && (!u.expiresAt || u.expiresAt.getTime() > now.getTime()));
    return {
      accountId,
      administrators: inForce.filter((u) => u.role === 'pbx_admin').length,
      internal: inForce.filter((u) => u.role === 'pbx_internal').length,
      external: inForce.filter((u) => u.role === 'pbx_external').length,
      users: inForce.map((u) => ({ userId: u.userId, role: u.role, status: u.status, function: u.function, files: u.files, expiresAt: u.expiresAt })),
    };
  }

  /** PRV-08: an update of a modifiable file, traced with its author and time; the content is the customer's hosted_pbx data. */
  async updateFile(principal: PortalPrincipal, fileId: string, content: Record<string, unknown>, ctx: CommandContext) {
    const user = principal.state.users[principal.userId];
    const customerId = principal.state.customerId!;
    const protectedContent = (await this.vault.protect(`customer-${customerId}`, 'hosted_pbx', content)) as unknown as Record<string, unknown>;
    const result = await this.repository.execute(
      pbxFilesDecider,
      pbxFilesStream(principal.accountId),
      { type: 'UpdateFile', accountId: principal.accountId, customerId, fileId, content: protectedContent, userId: principal.userId, user },
      ctx,
      this.clock.now(),
    );
    const trace = result.state.files[fileId];
    return { fileId, lastUpdatedBy: trace.lastUpdatedBy, lastUpdatedAt: trace.lastUpdatedAt, updates: trace.updates };
  }

  async file(principal: PortalPrincipal, fileId: string) {
    const user = principal.state.users[principal.userId];
    if (principal.role !== 'holder' && principal.role !== 'delegate') {
      const problem = fileAccessProblem(user, fileId, this.clock.now());
      if (problem) throw new ForbiddenError('file_not_authorised', `File ${fileId}: ${problem}`, [{ field: 'fileId', rule: 'ACC-09', message: problem }]);
    }
    const row = await this.dataSource.getRepository(PbxFileRow).findOneBy({ accountId: principal.accountId, fileId });
    if (!row) throw new NotFoundError('file_not_found', `No file ${fileId}`, [{ field: 'fileId', message: 'unknown file' }]);
    return {
      fileId,
      accountId: principal.accountId,
      content: row.content,
      erased: row.erased,
      lastUpdate: { by: row.lastUpdatedBy, role: row.lastUpdatedRole, at: row.lastUpdatedAt.toISOString() },
      updates: row.updates,
    };
  }

  /** PRV-03: every data file of the account, in txt, csv or XML, on the client's request. */
  async export(accountId: string, format: string | undefined): Promise<{ contentType: string; body: string }> {
    if (!format || !(PBX_EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new ValidationError('validation_failed', 'format must be txt, csv or xml', [{ field: 'format', rule: 'PRV-03', message: 'txt, csv or xml' }]);
    }
    await this.portal.loadAccount(accountId);
    const rows = await this.dataSource.getRepository(PbxFileRow).find({ where: { accountId }, order: { fileId: 'ASC' } });
    const records = rows.flatMap((r) =>
      r.erased || !r.content
        ? [{ fileId: r.fileId, field: '', value: '(erased)', updatedBy: r.lastUpdatedBy, updatedAt: r.lastUpdatedAt.toISOString() }]
        : Object.entries(r.content).map(([field, value]) => ({
            fileId: r.fileId,
            field,
            value: typeof value === 'string' ? value : JSON.stringify(value),
            updatedBy: r.lastUpdatedBy,
            updatedAt: r.lastUpdatedAt.toISOString(),
          })),
    );
    switch (format as PbxExportFormat) {
      case 'csv': {
        const cell = (v: string) => {
          const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
          return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
        };
        const lines = ['file,field,value,last_updated_by,last_updated_at', ...records.map((r) => [r.fileId, r.field, r.value, r.updatedBy, r.updatedAt].map(cell).join(','))];
        return { contentType: 'text/csv; charset=utf-8', body: `${lines.join('\r\n')}\r\n` };
      }
      case 'txt': {
        const lines = records.map((r) => [r.fileId, r.field, r.value.replace(/[\t\r\n]/g, ' '), r.updatedBy, r.updatedAt].join('\t'));
        return { contentType: 'text/plain; charset=utf-8', body: `file\tfield\tvalue\tlast_updated_by\tlast_updated_at\n${lines.join('\n')}\n` };
      }
      case 'xml': {
        const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
        const body = rows
          .map((r) => {
            const fields = r.erased || !r.content ? '    <erased/>' : Object.entries(r.content).map(([k, v]) => `    <field name="${esc(k)}">${esc(typeof v === 'string' ? v : JSON.stringify(v))}</field>`).join('\n');
            return `  <file id="${esc(r.fileId)}" lastUpdatedBy="${esc(r.lastUpdatedBy)}" lastUpdatedAt="${r.lastUpdatedAt.toISOString()}">\n${fields}\n  </file>`;
          })
          .join('\n');
        return { contentType: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n<pbxData account="${esc(accountId)}">\n${body}\n</pbxData>\n` };
      }
    }
  }
}
