import { ValidationError, dateOfInstant, instantProblem } from '@oksio/kernel';
import type { RejectionReason } from './destinations';

/**
 * CDR documents (CSV or JSON) → records → validated CDRs. A document that cannot be read at all
 * (no header, not a JSON array) is refused as a whole (400, nothing stored); inside a readable
 * document every record is either a CDR or a rejection with its reason — never silently dropped.
 */

export type CdrFormat = 'csv' | 'json';
export const CDR_FORMATS: readonly CdrFormat[] = ['csv', 'json'];

export interface Cdr {
  callId: string;
  subscriptionId: string;
  lineId: string;
  caller: string;
  called: string;
  startedAt: Date;
  durationSeconds: number;
}

/** One record as read: its position (CSV line / JSON index + 1), its raw text, its fields. */
export interface CdrRecord {
  recordNo: number;
  raw: string;
  fields: Record<string, unknown> | null;
  /** Set when the record itself could not be read (e.g. wrong number of CSV columns). */
  error?: string;
}

export type CdrCheck =
  | { ok: true; cdr: Cdr }
  | { ok: false; reason: Extract<RejectionReason, 'unparseable' | 'negative_duration'>; detail: string; callId: string | null; subscriptionId: string | null; lineId: string | null };

export const MAX_RAW_LENGTH = 2000;
const MAX_DURATION_SECONDS = 24 * 3600;

/** Column names accepted in CSV headers and JSON keys, per field. */
const ALIASES: Record<keyof Cdr, string[]> = {
  callId: ['callid', 'call_id', 'id'],
  subscriptionId: ['subscriptionid', 'subscription_id', 'subscription'],
  lineId: ['lineid', 'line_id', 'line'],
  caller: ['caller', 'calling', 'from', 'a_number'],
  called: ['called', 'callednumber', 'called_number', 'to', 'b_number'],
  startedAt: ['startedat', 'started_at', 'start', 'start_time', 'starttime'],
  durationSeconds: ['durationseconds', 'duration_seconds', 'duration'],
};
const FIELD_OF = new Map<string, keyof Cdr>(Object.entries(ALIASES).flatMap(([field, names]) => names.map((n) => [n, field as keyof Cdr])));

function documentError(message: string): ValidationError {
  return new ValidationError('unreadable_cdr_document', message, [{ field: 'content', message, rule: 'BIL-07' }]);
}

/** RFC 4180 fields of one line (quotes, doubled quotes); `null` when a quote is left open. */
function splitCsvLine(line: string, separator: string): string[] | null {
  if (!line.includes('"')) return line.split(separator);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/** CSV with a header row; ',' or ';' separated (the header decides). */
export function parseCsv(content: string): CdrRecord[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw documentError('the CSV document is empty');
  const headerLine = lines[headerIndex];
  const separator = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const header = (splitCsvLine(headerLine, separator) ?? []).map((h) => h.trim().toLowerCase());
  const columns = header.map((h) => FIELD_OF.get(h) ?? null);
  const missing = (Object.keys(ALIASES) as Array<keyof Cdr>).filter((f) => !columns.includes(f));
  if (missing.length) throw documentError(`the CSV header lacks ${missing.join(', ')} (expected ${Object.values(ALIASES).map((a) => a[1] ?? a[0]).join(',')})`);
  const records: CdrRecord[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const raw = line.slice(0, MAX_RAW_LENGTH);
    const cells = splitCsvLine(line, separator);
    if (!cells) {
      records.push({ recordNo: i + 1, raw, fields: null, error: 'unterminated quoted field' });
    } else if (cells.length !== header.length) {
      records.push({ recordNo: i + 1, raw, fields: null, error: `${cells.length} columns where the header has ${header.length}` });
    } else {
      const fields: Record<string, unknown> = {};
      columns.forEach((f, j) => {
        if (f) fields[f] = cells[j].trim();
      });
      records.push({ recordNo: i + 1, raw, fields });
    }
  }
  return records;
}

/** A JSON array of CDR objects, or `{ "cdrs": [...] }`; accepts the parsed body or its text. */
export function parseJson(content: unknown): CdrRecord[] {
  let doc = content;
  if (typeof content === 'string') {
    try {
      doc = JSON.parse(content);
    } catch {
      throw documentError('the JSON document cannot be parsed');
    }
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { cdrs?: unknown }).cdrs) ? (doc as { cdrs: unknown[] }).cdrs : null;
  if (!list) throw documentError('the JSON document must be an array of CDRs or an object { "cdrs": [...] }');
  return list.map((item, index) => {
    const raw = (JSON.stringify(item) ?? String(item)).slice(0, MAX_RAW_LENGTH);
    if (!item || typeof item !== 'object' || Array.isArray(item)) return { recordNo: index + 1, raw, fields: null, error: 'a CDR must be a JSON object' };
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const f = FIELD_OF.get(key.toLowerCase());
      if (f) fields[f] = value;
    }
    return { recordNo: index + 1, raw, fields };
  });
}

export function parseCdrDocument(format: CdrFormat, content: unknown): CdrRecord[] {
  if (format === 'csv') {
    if (typeof content !== 'string') throw documentError('a CSV document must be text');
    return parseCsv(content);
  }
  return parseJson(content);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function text(value: unknown, max: number): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  return s && s.length <= max ? s : null;
}

/** Checks one record's fields. Numbers are checked for form only here; destinations come later. */
export function checkCdr(record: CdrRecord): CdrCheck {
  const f = record.fields ?? {};
  const callId = text(f.callId, 200);
  const subscriptionId = text(f.subscriptionId, 100);
  const lineId = text(f.lineId, 100);
  const fail = (reason: 'unparseable' | 'negative_duration', detail: string): CdrCheck => ({ ok: false, reason, detail, callId, subscriptionId, lineId });
  if (record.error || !record.fields) return fail('unparseable', record.error ?? 'unreadable record');
  if (!callId) return fail('unparseable', 'callId is missing or longer than 200 characters');
  if (!subscriptionId) return fail('unparseable', 'subscriptionId is missing');
  if (!lineId) return fail('unparseable', 'lineId is missing');
  const caller = text(f.caller, 40);
  if (!caller) return fail('unparseable', 'caller is missing');
  const called = text(f.called, 40);
  if (!called) return fail('unparseable', 'called number is missing');
  const start = typeof f.startedAt === 'string' ? f.startedAt.trim() : '';
  // An instant without offset would be ambiguous around DST changes: refused rather than guessed.
  // Switches write '2026-03-02 09:15:00+0100': brought to the kernel's grammar, which refuses
  // rollover (a 30 February is not 2 March) and years a read model cannot hold.
  const instant = ISO_INSTANT.test(start) ? start.replace(' ', 'T').toUpperCase().replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : null;
  const startedAtProblem = instant === null ? 'must be an ISO-8601 instant with its offset' : instantProblem(instant);
  if (instant === null || startedAtProblem) return fail('unparseable', `startedAt ${startedAtProblem} (e.g. 2026-03-02T09:15:00+01:00)`);
  const startedAt = dateOfInstant(instant);
  const d = f.durationSeconds;
  const durationText = typeof d === 'number' ? (Number.isFinite(d) ? String(d) : '') : typeof d === 'string' ? d.trim() : '';
  if (/^-\d+(\.\d+)?$/.test(durationText)) return fail('negative_duration', `duration ${durationText} s is negative`);
  if (!/^\d{1,9}$/.test(durationText)) return fail('unparseable', 'durationSeconds must be a whole number of seconds');
  const durationSeconds = Number(durationText);
  if (durationSeconds > MAX_DURATION_SECONDS) return fail('unparseable', `duration ${durationSeconds} s exceeds 24 hours`);
  return { ok: true, cdr: { callId, subscriptionId, lineId, caller, called, startedAt, durationSeconds } };
}
