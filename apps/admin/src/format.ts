/** French formatting through Intl: Europe/Paris times, EUR amounts. */
const ZONE = 'Europe/Paris';

const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, dateStyle: 'full', timeStyle: 'medium' });
const dateOnlyInstant = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, dateStyle: 'medium' });
const localDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', dateStyle: 'medium' });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const integer = new Intl.NumberFormat('fr-FR');

function parse(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant, e.g. « 3 mars 2027 à 14:05 » (Paris time). */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  const d = parse(value);
  return d ? dateTime.format(d) : '—';
}

export function formatDateTimeLong(value: string | number | Date | null | undefined): string {
  const d = parse(value);
  return d ? dateTimeSeconds.format(d) : '—';
}

/** A calendar date: `YYYY-MM-DD` is a local date (no time zone shift); an instant shows its Paris date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return localDate.format(new Date(`${value}T00:00:00Z`));
  const d = parse(value);
  return d ? dateOnlyInstant.format(d) : value;
}

/**
 * An amount in euros. Amounts travel as decimal strings; Intl formats the string itself (no float
 * arithmetic on money in the client).
 */
export function formatMoney(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return euros.format(value as unknown as number);
}

export function formatInteger(value: number): string {
  return integer.format(value);
}

/** A duration in French: « 3 h 05 min 12 s », « 2 j 4 h », « 45 s ». Negative → « dépassé de … ». */
export function formatDuration(ms: number, withSeconds = true): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} j`);
  if (days || hours) parts.push(`${hours} h`);
  parts.push(`${String(minutes).padStart(days || hours ? 2 : 1, '0')} min`);
  if (withSeconds && !days) parts.push(`${String(seconds).padStart(2, '0')} s`);
  return parts.join(' ');
}

export const ROLE_LABELS: Record<string, string> = {
  support: 'Support',
  admin: 'Administrateur',
  auditor: 'Auditeur (lecture seule)',
  system: 'Système',
};

/** French numbers read in pairs: 06 12 34 56 78; other forms unchanged. */
export function formatPhone(phone: string | null): string {
  if (!phone) return '—';
  const national = /^\+33\d{9}$/.test(phone) ? `0${phone.slice(3)}` : phone;
  return /^0\d{9}$/.test(national) ? national.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}
