import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RUNTIME, type Runtime } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { isEncryptedPii, isErased, type PiiCategory } from '../crypto/pii';
import { PersonalDataRegistry, type ExportRecord } from './personal-data.registry';

export interface RevealedEvent {
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  data: unknown;
  /** The command's reason (X-Reason), when it was sealed for this subject: their personal data too. */
  reason?: unknown;
}

/** Everything the platform holds about one subject, decrypted for that subject only. */
export interface SubjectData {
  subjectId: string;
  generatedAt: string;
  records: ExportRecord[];
  events: RevealedEvent[];
}

export interface CollectOptions {
  /** Only these categories are revealed (archive reads); the others are left out. */
  only?: PiiCategory[];
  /** These categories are shown as restricted, not revealed (archived or restricted data in daily views). */
  mask?: PiiCategory[];
}

interface Revealed {
  value: unknown;
  /** The value held personal data of the subject. */
  touched: boolean;
}

/**
 * Gathers a subject's data across contexts (PRV-04 access/portability, archive reads): the rows
 * every registered contributor returns, and the events of the streams they name, decrypted
 * through the vault. Personal data of other subjects met in those events is never decrypted, and
 * shredded data shows as erased — in exports as everywhere else.
 */
@Injectable()
export class SubjectDataService {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly vault: PiiVault,
    private readonly dataSource: DataSource,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async collect(subjectId: string, now: Date, options: CollectOptions = {}): Promise<SubjectData> {
    const contributions = await Promise.all(this.registry.contributors().map(([, contribute]) => contribute(subjectId, this.dataSource.manager)));
    const records = contributions
      .flatMap((c) => c.records)
      .filter((r) => !options.only || options.only.includes(r.category))
      .map((r) => (options.mask?.includes(r.category) ? { ...r, data: { $restricted: true, category: r.category } } : r));
    const streams = [...new Set(contributions.flatMap((c) => c.streams))].sort();
    const events: RevealedEvent[] = [];
    for (const streamId of streams) {
      for (const raw of await this.runtime.store.readStream(streamId)) {
        const event = this.runtime.upcasters.apply(raw);
        const { value, touched } = await this.reveal(event.data, subjectId, options);
        const reason = isEncryptedPii(event.metadata.reason) ? await this.reveal(event.metadata.reason, subjectId, options) : null;
        if (!touched && !reason?.touched && (event.data as { subjectId?: unknown }).subjectId !== subjectId) continue;
        events.push({
          streamId,
          revision: event.revision,
          type: event.type,
          occurredAt: event.metadata.occurredAt,
          data: value,
          ...(reason?.touched ? { reason: reason.value } : {}),
        });
      }
    }
    return { subjectId, generatedAt: now.toISOString(), records, events };
  }

  private async reveal(value: unknown, subjectId: string, options: CollectOptions): Promise<Revealed> {
    if (isEncryptedPii(value)) {
      if (value.subject !== subjectId) return { value: { $otherSubject: true }, touched: false };
      if (options.only && !options.only.includes(value.category)) return { value: { $omitted: true, category: value.category }, touched: false };
      if (options.mask?.includes(value.category)) return { value: { $restricted: true, category: value.category }, touched: true };
      const clear = await this.vault.reveal(value);
      return { value: isErased(clear) ? clear : { $pii: value.category, value: clear }, touched: true };
    }
    if (Array.isArray(value)) {
      const parts = await Promise.all(value.map((v) => this.reveal(v, subjectId, options)));
      return { value: parts.map((p) => p.value), touched: parts.some((p) => p.touched) };
    }
    if (value && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await this.reveal(v, subjectId, options)] as const));
      return { value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])), touched: entries.some(([, r]) => r.touched) };
    }
    return { value, touched: false };
  }
}

const CSV_COLUMNS = ['kind', 'source', 'reference', 'type', 'occurredAt', 'category', 'path', 'value'] as const;

function csvCell(value: string): string {
  // Spreadsheet formula injection: a text cell must not start with = + - @ (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Flattens leaves to (category, path, value); `{ $pii: category, value }` marks personal data. */
function leaves(value: unknown, path: string, category: string, out: Array<[string, string, string]>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.$pii === 'string') return leaves(v.value, path, v.$pii, out);
    if (v.$erased === true || v.$restricted === true || v.$omitted === true || v.$otherSubject === true) {
      out.push([String(v.category ?? category), path, JSON.stringify(v)]);
      return;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) out.push([category, path, '{}']);
    for (const [k, child] of entries) leaves(child, path ? `${path}.${k}` : k, category, out);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([category, path, '[]']);
    value.forEach((child, i) => leaves(child, `${path}[${i}]`, category, out));
    return;
  }
  out.push([category, path, value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** CSV (RFC 4180) of an export: one line per datum, with its category (portability, PRV-04). */
export function subjectDataToCsv(data: SubjectData): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of data.records) {
    const out: Array<[string, string, string]> = [];
    leaves(r.data, '', r.category, out);
    for (const [category, path, value] of out) lines.push(['record', r.source, '', '', '', category, path, value].map(csvCell).join(','));
  }
  for (const e of data.events) {
    const out: Array<[string, string, string]> = [];
    leaves(e.data, '', '', out);
    if (e.reason !== undefined) leaves(e.reason, 'metadata.reason', '', out);
    for (const [category, path, value] of out) {
      lines.push(['event', e.streamId, String(e.revision), e.type, e.occurredAt, category, path, value].map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
