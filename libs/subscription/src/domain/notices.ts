import { DomainError } from '@oksio/kernel';
import { addMonths, isBefore, requireLocalDate, type LocalDate } from './local-date';

/**
 * Notice periods OKSIO owes its clients before changing prices or terms (CON-02 … CON-04).
 * "N mois de préavis" counts like every month-delay of the contract: notice on 15 March + 2 months
 * = 15 May; notice on 31 December + 2 months = 28/29 February.
 */

/** CG 6.1: the exceptions under which a tariff change needs no 2 months' notice. */
export type PriceChangeException = 'force_majeure' | 'supplier_price_surge';

/** CON-02: a changed tariff applies no earlier than notice + 2 months, except force majeure or a sharp supplier price rise. */
export function priceChangeEarliestEffectiveDate(noticeOn: LocalDate, exception?: PriceChangeException, noticeMonths = 2): LocalDate {
  requireLocalDate(noticeOn, 'noticeOn', 'CON-02');
  return exception ? noticeOn : addMonths(noticeOn, noticeMonths);
}

export function assertPriceChangeNotice(noticeOn: LocalDate, effectiveOn: LocalDate, exception?: PriceChangeException, noticeMonths = 2): void {
  requireLocalDate(effectiveOn, 'effectiveOn', 'CON-02');
  const earliest = priceChangeEarliestEffectiveDate(noticeOn, exception, noticeMonths);
  if (isBefore(effectiveOn, earliest)) {
    throw new DomainError('price_change_notice_too_short', `A tariff notified on ${noticeOn} applies on ${earliest} at the earliest`, 'CON-02', 'effectiveOn');
  }
}

/** CON-03: new general terms take effect no earlier than notice + 1 month ("au minimum un mois avant"). */
export function termsChangeEarliestEffectiveDate(noticeOn: LocalDate, noticeMonths = 1): LocalDate {
  requireLocalDate(noticeOn, 'noticeOn', 'CON-03');
  return addMonths(noticeOn, noticeMonths);
}

export function assertTermsChangeNotice(noticeOn: LocalDate, effectiveOn: LocalDate, noticeMonths = 1): void {
  requireLocalDate(effectiveOn, 'effectiveOn', 'CON-03');
  const earliest = termsChangeEarliestEffectiveDate(noticeOn, noticeMonths);
  if (isBefore(effectiveOn, earliest)) {
    throw new DomainError('terms_change_notice_too_short', `Terms notified on ${noticeOn} take effect on ${earliest} at the earliest`, 'CON-03', 'effectiveOn');
  }
}

/**
 * CON-04 (CP SIP 6): per-minute rates change only "à chaque début d'année", notified before they
 * take effect. Decision: the change applies on a 1 January strictly after the notice; the earliest
 * is 1 January of the year following the notice (a notice on 1 January is not "before" that day).
 */
export function sipRateChangeEarliestEffectiveDate(noticeOn: LocalDate): LocalDate {
  requireLocalDate(noticeOn, 'noticeOn', 'CON-04');
  return `${Number(noticeOn.slice(0, 4)) + 1}-01-01`;
}

export function assertSipRateChange(noticeOn: LocalDate, effectiveOn: LocalDate): void {
  requireLocalDate(effectiveOn, 'effectiveOn', 'CON-04');
  if (!effectiveOn.endsWith('-01-01')) {
    throw new DomainError('sip_rates_change_only_on_1_january', 'SIP per-minute rates change only at the start of a year', 'CON-04', 'effectiveOn');
  }
  if (isBefore(effectiveOn, sipRateChangeEarliestEffectiveDate(noticeOn))) {
    throw new DomainError('sip_rates_not_notified_before', `Rates notified on ${noticeOn} cannot apply on ${effectiveOn}`, 'CON-04', 'effectiveOn');
  }
}
