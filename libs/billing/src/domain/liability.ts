import { DomainError, Money } from '@oksio/kernel';
import type { BilledPeriod } from './account';
import { addDays, addMonths, calendarMonthsBetween, yearMonthOf, type LocalDate } from './calendar';

/**
 * BIL-12 liability caps for a claim about one subscription. Decision: "sums paid" are the
 * amounts billed HT for the contract (subscription + consumption of each billed period), so a cap
 * never depends on whether the client has paid yet.
 * - CG 13 (all services): per event or related series, the monthly sum (the last billed period
 *   up to the event's month); per 12-month period from activation, the sum billed in that period.
 * - HOSTED_PBX (CP PBX 8.1): the fees billed for the calendar year of the event.
 * - MOBILE (CP Mobile 11.8): the average of the last 3 months' invoices up to the event's month.
 */
export interface LiabilityCap {
  service: string;
  eventOn: LocalDate;
  /** The cap that applies to this claim. */
  cap: string;
  basis: 'monthly_sum_paid' | 'calendar_year_fees' | 'average_last_3_invoices';
  rule: string;
  explanation: string;
  /** CG 13 second limb: the whole 12-month period from activation, for cumulated claims. */
  annualCap: string | null;
  annualPeriod: { from: LocalDate; to: LocalDate } | null;
  periodsUsed: string[];
}

const amountOf = (p: BilledPeriod) => Money.eur(p.subscription).add(Money.eur(p.consumption));

export function liabilityCap(input: { service: string; activatedOn: LocalDate | null; eventOn: LocalDate; billedPeriods: BilledPeriod[] }): LiabilityCap {
  const month = yearMonthOf(input.eventOn);
  const upTo = input.billedPeriods.filter((p) => p.period <= month).sort((a, b) => a.period.localeCompare(b.period));
  if (input.service === 'HOSTED_PBX') {
    const year = input.eventOn.slice(0, 4);
    const inYear = input.billedPeriods.filter((p) => p.period.startsWith(year));
    const cap = Money.sum(inYear.map(amountOf));
    return {
      service: input.service,
      eventOn: input.eventOn,
      cap: cap.toString(),
      basis: 'calendar_year_fees',
      rule: 'BIL-12 (CP PBX 8.1)',
      explanation: `Redevances facturées pour l'année civile ${year}`,
      annualCap: null,
      annualPeriod: null,
      periodsUsed: inYear.map((p) => p.period),
    };
  }
  if (input.service === 'MOBILE') {
    const last = upTo.slice(-3);
    const cap = last.length === 0 ? Money.zero() : Money.sum(last.map(amountOf)).divide(last.length).roundToCent();
    return {
      service: input.service,
      eventOn: input.eventOn,
      cap: cap.toString(),
      basis: 'average_last_3_invoices',
      rule: 'BIL-12 (CP Mobile 11.8)',
      explanation: `Moyenne des ${last.length} dernières factures`,
      annualCap: null,
      annualPeriod: null,
      periodsUsed: last.map((p) => p.period),
    };
  }
  if (!input.activatedOn) throw new DomainError('not_activated', 'The service was never activated: no sum was paid', 'BIL-12', 'subscriptionId');
  if (input.eventOn < input.activatedOn) throw new DomainError('event_before_activation', 'The event precedes the activation', 'BIL-12', 'eventOn');
  const years = Math.floor(calendarMonthsBetween(input.activatedOn, input.eventOn) / 12);
  let from = addMonths(input.activatedOn, 12 * years);
  if (from > input.eventOn) from = addMonths(input.activatedOn, 12 * (years - 1));
  const to = addDays(addMonths(from, 12), -1);
  const inPeriod = input.billedPeriods.filter((p) => p.period >= yearMonthOf(from) && p.period <= yearMonthOf(to));
  const last = upTo[upTo.length - 1];
  return {
    service: input.service,
    eventOn: input.eventOn,
    cap: (last ? amountOf(last) : Money.zero()).toString(),
    basis: 'monthly_sum_paid',
    rule: 'BIL-12 (CG 13)',
    explanation: last ? `Somme mensuelle facturée (${last.period})` : 'Aucune période facturée',
    annualCap: Money.sum(inPeriod.map(amountOf)).toString(),
    annualPeriod: { from, to },
    periodsUsed: last ? [last.period] : [],
  };
}
