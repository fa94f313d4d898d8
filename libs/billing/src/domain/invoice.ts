import { DomainError, Money } from '@oksio/kernel';
import type { AccountBillingFacts, AccountState, FeeSuspension, PendingCharge } from './account';
import { addDays, daysInclusive, daysInMonth, firstDayOf, lastDayOf, maxDate, minDate, monthLabelFr, previousMonth, yearMonthOf, type LocalDate, type YearMonth } from './calendar';
import { itemPrice, priceOn, type ReferenceState } from './catalogue';
import type { BillingSettings, SellerIdentity } from './settings';

export type LineKind = 'subscription' | 'option' | 'consumption' | 'access_fee' | 'fee' | 'early_termination' | 'remaining_fees' | 'credit' | 'equipment';

/** One invoice line, EUR HT. `amount` is rounded to the cent, half-up, per line (BIL-01 decision). */
export interface InvoiceLine {
  lineId: string;
  kind: LineKind;
  subscriptionId: string | null;
  itemId: string | null;
  label: string;
  /** How the amount was obtained (proration, SUB-07 average …), printed under the label. */
  detail: string | null;
  quantity: string;
  unitPrice: string;
  amount: string;
  vatRate: string;
  rule: string | null;
  periodFrom: LocalDate | null;
  periodTo: LocalDate | null;
  chargeId: string | null;
  priceVersion: string | null;
}

export interface VatLine {
  rate: string;
  base: string;
  vat: string;
}

export interface Totals {
  totalHT: string;
  totalVAT: string;
  totalTTC: string;
  vat: VatLine[];
}

export interface Party {
  customerId: string;
  companyName: string;
  siret: string | null;
  address: { line1: string; line2?: string; postalCode: string; city: string; country: string } | null;
}

export interface PaymentInstructions {
  /** `cheque`: a handset order before the client's bank details are registered (CP Mobile 15). */
  method: 'sepa_direct_debit' | 'bank_transfer' | 'cheque';
  mandateId: string | null;
  creditorId: string;
}

/** The invoice as issued: immutable once numbered (corrections are credit notes). */
export interface InvoiceDocument extends Totals {
  invoiceId: string;
  customerId: string;
  billingMonth: YearMonth;
  issuedOn: LocalDate;
  dueOn: LocalDate;
  seller: SellerIdentity;
  buyer: Party;
  lines: InvoiceLine[];
  subscriptionIds: string[];
  services: Record<string, string>;
  payment: PaymentInstructions;
  lateTerms: { multiplier: string; indemnity: string; text: string };
  /** Per subscription, what this invoice billed (SUB-07 basis, charges used). */
  accounts: AccountBillingFacts[];
  /** BIL-13: the handset order this invoice bills (delivered once it is paid). */
  handsetOrderId?: string;
}

export interface DraftInput {
  invoiceId: string;
  customerId: string;
  month: YearMonth;
  issuedOn: LocalDate;
  accounts: AccountState[];
  reference: ReferenceState;
  /** Rated consumption per subscription and month (BIL-07, BIL-09), EUR HT. */
  consumption: Record<string, Record<YearMonth, Money>>;
  settings: BillingSettings;
  buyer: Party;
  mandateId: string | null;
}

const fmt = (m: Money) => m.toString();

/** BIL-01: VAT per rate on the sum of the rounded HT lines, rounded half-up once per rate. */
export function totals(lines: Pick<InvoiceLine, 'amount' | 'vatRate'>[]): Totals {
  const byRate = new Map<string, Money>();
  for (const l of lines) byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? Money.zero()).add(Money.eur(l.amount)));
  const vat = [...byRate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rate, base]) => ({ rate, base: fmt(base), vat: fmt(base.percentage(rate).roundToCent()) }));
  const totalHT = Money.sum(vat.map((v) => Money.eur(v.base)));
  const totalVAT = Money.sum(vat.map((v) => Money.eur(v.vat)));
  return { totalHT: fmt(totalHT), totalVAT: fmt(totalVAT), totalTTC: fmt(totalHT.add(totalVAT)), vat };
}

/**
 * BIL-03 / SUB-06: the fee of `price` for the days of `month` in [start, end]. A whole month is
 * the price; otherwise price × days ÷ days-in-month, rounded to the cent (half-up) on the line.
 * `fullMonthAtEnd`: the month of the end is due in full (SUB-06), so the end does not prorate.
 */
export function monthlyFee(price: Money, month: YearMonth, start: LocalDate, end: LocalDate | null, fullMonthAtEnd: boolean): { amount: Money; days: number; daysInMonth: number; from: LocalDate; to: LocalDate } | null {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  const from = maxDate(start, first);
  let to = end ? minDate(end, last) : last;
  if (end && end < first) return null;
  if (fullMonthAtEnd) to = last;
  if (to < from) return null;
  const days = daysInclusive(from, to);
  const dim = daysInMonth(month);
  const amount = days === dim ? price : price.multiply(days).divide(dim).roundToCent();
  return { amount, days, daysInMonth: dim, from, to };
}

/**
 * SUS-05: the days of [from, to] during which a suspension without fees concerned the item (an
 * option: only suspensions of the whole subscription). Overlapping suspensions count a day once.
 */
export function daysWithoutFees(suspensions: readonly FeeSuspension[], itemId: string | null, from: LocalDate, to: LocalDate): number {
  const applicable = suspensions.filter((s) => (itemId === null ? s.itemIds.length === 0 : s.itemIds.length === 0 || s.itemIds.includes(itemId)));
  if (applicable.length === 0) return 0;
  let count = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (applicable.some((s) => s.from <= day && (s.to === null || day <= s.to))) count++;
  }
  return count;
}

/**
 * SUS-05 on top of BIL-03: the fee of the days actually billable, price × billable days ÷ days in
 * the month, rounded to the cent once on the line; null when no day is excluded.
 */
function withoutSuspendedDays(price: Money, fee: { amount: Money; days: number; daysInMonth: number; from: LocalDate; to: LocalDate }, suspended: number): { amount: Money; billableDays: number } | null {
  if (suspended === 0) return null;
  const billableDays = fee.days - suspended;
  return { amount: billableDays <= 0 ? Money.zero() : price.multiply(billableDays).divide(fee.daysInMonth).roundToCent(), billableDays: Math.max(0, billableDays) };
}

/**
 * SUB-07 (decision of RULES.md): average of (consumption + subscription) over the last 3 billed
 * periods before the month being billed (fewer → those billed) × months remaining, computed
 * exactly (sum × months ÷ n) and rounded once at the end. For one line of a several-line contract
 * (port-out, SUB-16), the basis is that line's billed subscription fees (consumption is rated per
 * contract, not per line).
 */
export function earlyTerminationAmount(account: AccountState, beforeMonth: YearMonth, monthsRemaining: number, itemId: string | null, basisPeriods = 3): { amount: Money; periods: string[]; average: Money } {
  const periods = account.billedPeriods.filter((p) => p.period < beforeMonth).slice(-basisPeriods);
  if (periods.length === 0) return { amount: Money.zero(), periods: [], average: Money.zero() };
  const lineOnly = itemId !== null && Object.keys(account.items).length > 1;
  const values = periods.map((p) => (lineOnly ? Money.eur(p.items[itemId!] ?? '0') : Money.eur(p.subscription).add(Money.eur(p.consumption))));
  const total = Money.sum(values);
  return { amount: total.multiply(monthsRemaining).divide(periods.length).roundToCent(), periods: periods.map((p) => p.period), average: total.divide(periods.length) };
}

function line(l: Omit<InvoiceLine, 'detail' | 'periodFrom' | 'periodTo' | 'chargeId' | 'priceVersion' | 'itemId' | 'rule'> & Partial<InvoiceLine>): InvoiceLine {
  return { detail: null, periodFrom: null, periodTo: null, chargeId: null, priceVersion: null, itemId: null, rule: null, ...l };
}

function chargeLines(account: AccountState, c: PendingCharge, input: DraftInput, vatRate: string): InvoiceLine[] {
  const base = { subscriptionId: account.subscriptionId, itemId: c.itemId, chargeId: c.chargeId, rule: c.rule, vatRate };
  const id = `${account.subscriptionId}:${c.chargeId}`;
  switch (c.kind) {
    case 'credit': {
      const left = Money.eur(c.amount ?? '0').subtract(Money.eur(c.billed));
      if (!left.isPositive()) return [];
      return [line({ ...base, lineId: id, kind: 'credit', label: c.label, detail: 'Crédit sur facture (BIL-11)', quantity: '1', unitPrice: fmt(left.negate()), amount: fmt(left.negate()) })];
    }
    case 'early_termination': {
      const fee = earlyTerminationAmount(account, input.month, c.monthsRemaining ?? 0, c.itemId);
      if (!fee.amount.isPositive()) return [];
      return [
        line({
          ...base,
          lineId: id,
          kind: 'early_termination',
          label: c.label,
          detail: `Moyenne des périodes ${fee.periods.join(', ')} (${fee.average.toExactString()} € HT) × ${c.monthsRemaining} mois restant à courir`,
          quantity: String(c.monthsRemaining),
          unitPrice: fee.average.toExactString(),
          amount: fmt(fee.amount),
        }),
      ];
    }
    case 'remaining_fees': {
      const items = Object.values(account.items).filter((i) => c.itemId === null || i.itemId === c.itemId);
      const monthly = Money.sum(items.map((i) => Money.eur(itemPrice(input.reference, 'MONTHLY', account.service, i.plan, c.occurredOn).price)));
      const amount = monthly.multiply(c.monthsRemaining ?? 0).roundToCent();
      if (!amount.isPositive()) return [];
      return [line({ ...base, lineId: id, kind: 'remaining_fees', label: c.label, detail: `${c.monthsRemaining} mensualités × ${fmt(monthly)} € HT`, quantity: String(c.monthsRemaining), unitPrice: fmt(monthly), amount: fmt(amount) })];
    }
    default: {
      if (c.done) return [];
      let unit: Money;
      let version: string | null = null;
      if (c.amount !== null) unit = Money.eur(c.amount);
      else if (c.kind === 'access_fee' && c.code?.startsWith('ACCESS:')) {
        const item = c.itemId ? account.items[c.itemId] : null;
        const v = itemPrice(input.reference, 'ACCESS', account.service, item?.plan ?? null, c.priceDate ?? c.occurredOn);
        unit = Money.eur(v.price);
        version = v.version;
      } else {
        const v = priceOn(input.reference, c.code ?? '', c.priceDate ?? c.occurredOn);
        unit = Money.eur(v.price);
        version = v.version;
      }
      const amount = unit.multiply(c.quantity).roundToCent();
      return [line({ ...base, lineId: id, kind: c.kind, label: c.label, quantity: String(c.quantity), unitPrice: unit.toExactString(), amount: fmt(amount), priceVersion: version, periodFrom: c.occurredOn })];
    }
  }
}

/**
 * SUS-05 after the fact: a force majeure recorded once its month was invoiced (its start given in
 * the past) removes the days from a fee already billed. The next invoice credits the difference
 * between what was billed for that item-month and what is due now; the credit is recorded against
 * the month like the fee (so it is credited once), and capped like any credit (BIL-11): a part that
 * does not fit is credited by a later invoice.
 */
function lateSuspensionCredit(c: {
  account: AccountState;
  kind: 'subscription' | 'option';
  key: string;
  label: string;
  month: YearMonth;
  fee: { amount: Money; days: number; daysInMonth: number; from: LocalDate; to: LocalDate };
  suspended: { amount: Money; billableDays: number } | null;
  alreadyBilled: string;
  vatRate: string;
}): InvoiceLine[] {
  if (!c.suspended) return [];
  const difference = c.suspended.amount.subtract(Money.eur(c.alreadyBilled));
  if (!difference.isNegative()) return [];
  return [
    line({
      lineId: `${c.account.subscriptionId}:${c.kind}:${c.key}:${c.month}:sus-05-credit:${fmt(c.suspended.amount)}`,
      kind: c.kind,
      subscriptionId: c.account.subscriptionId,
      itemId: c.key,
      label: `Régularisation — ${c.label}`,
      detail: `${c.fee.days - c.suspended.billableDays} jour(s) de suspension pour force majeure sans redevance, constatée après facturation : facturé ${c.alreadyBilled} € HT, dû ${fmt(c.suspended.amount)} € HT`,
      quantity: '1',
      unitPrice: fmt(difference),
      amount: fmt(difference),
      vatRate: c.vatRate,
      rule: 'SUS-05',
      periodFrom: c.fee.from,
      periodTo: c.fee.to,
    }),
  ];
}

/** A run bills, for each item, every month not yet billed within this window up to the billed month. */
export const CATCH_UP_MONTHS = 12;

/** The months an account may still owe something for, oldest first (at most CATCH_UP_MONTHS). */
export function billableMonths(account: AccountState, month: YearMonth): YearMonth[] {
  const starts = Object.values(account.items).map((i) => i.startsOn).filter((d): d is LocalDate => d !== null);
  if (starts.length === 0) return [];
  const first = yearMonthOf(starts.sort()[0]);
  const months: YearMonth[] = [];
  for (let m = month; months.length < CATCH_UP_MONTHS && m >= first; m = previousMonth(m)) months.unshift(m);
  return months;
}

function subscriptionLines(account: AccountState, input: DraftInput, month: YearMonth): InvoiceLine[] {
  const { reference, settings } = input;
  const vatRate = settings.vatRate;
  const billed = account.billedPeriods.find((p) => p.period === month);
  const lines: InvoiceLine[] = [];
  // BIL-02: subscriptions in arrears — each item-month is billed once, after the month.
  for (const item of Object.values(account.items).sort((a, b) => a.itemId.localeCompare(b.itemId))) {
    if (!item.startsOn || account.status === 'cancelled') continue;
    const fullMonthAtEnd = item.endsOn !== null && (item.fullMonth === month || account.monthBilledInFull === month);
    const version = itemPrice(reference, 'MONTHLY', account.service, item.plan, firstDayOf(month));
    const price = Money.eur(version.price);
    const fee = monthlyFee(price, month, item.startsOn, item.endsOn, fullMonthAtEnd);
    if (!fee) continue;
    const suspended = withoutSuspendedDays(price, fee, daysWithoutFees(account.feeSuspensions ?? [], item.itemId, fee.from, fee.to));
    const alreadyBilled = billed?.items[item.itemId];
    if (alreadyBilled !== undefined) {
      const label = `${version.label} — ${item.label} (${monthLabelFr(month)})`;
      lines.push(...lateSuspensionCredit({ account, kind: 'subscription', key: item.itemId, label, month, fee, suspended, alreadyBilled, vatRate }));
      continue;
    }
    // A month entirely without fees (SUS-05) has no line.
    if (suspended && !suspended.amount.isPositive()) continue;
    const prorated = fee.days !== fee.daysInMonth;
    const rule = suspended ? 'SUS-05' : fullMonthAtEnd ? 'SUB-06' : prorated ? 'BIL-03' : 'BIL-02';
    const detail = suspended
      ? `Prorata ${suspended.billableDays}/${fee.daysInMonth} jours × ${version.price} € HT (${fee.days - suspended.billableDays} jour(s) de suspension pour force majeure sans redevance)`
      : fullMonthAtEnd
        ? `Mois de fin de contrat dû en entier (fin le ${item.endsOn})`
        : prorated
          ? `Prorata ${fee.days}/${fee.daysInMonth} jours × ${version.price} € HT`
          : null;
    lines.push(
      line({
        lineId: `${account.subscriptionId}:subscription:${item.itemId}:${month}`,
        kind: 'subscription',
        subscriptionId: account.subscriptionId,
        itemId: item.itemId,
        label: `${version.label} — ${item.label} (${monthLabelFr(month)})`,
        detail,
        quantity: '1',
        unitPrice: version.price,
        amount: fmt(suspended ? suspended.amount : fee.amount),
        vatRate,
        rule,
        periodFrom: fee.from,
        periodTo: fee.to,
        priceVersion: version.version,
      }),
    );
  }
  for (const [key, option] of Object.entries(account.options).sort(([a], [b]) => a.localeCompare(b))) {
    const end = option.to && account.endsOn ? minDate(option.to, account.endsOn) : (option.to ?? account.endsOn);
    if (end && end < option.from) continue;
    const version = priceOn(reference, option.code, firstDayOf(month));
    const optionPrice = Money.eur(version.price).multiply(option.quantity);
    const fullFee = monthlyFee(optionPrice, month, option.from, end, account.monthBilledInFull === month);
    if (!fullFee) continue;
    const suspended = withoutSuspendedDays(optionPrice, fullFee, daysWithoutFees(account.feeSuspensions ?? [], null, fullFee.from, fullFee.to));
    const alreadyBilled = billed?.options[key];
    if (alreadyBilled !== undefined) {
      const label = `${version.label} (${monthLabelFr(month)})`;
      lines.push(...lateSuspensionCredit({ account, kind: 'option', key, label, month, fee: fullFee, suspended, alreadyBilled, vatRate }));
      continue;
    }
    if (suspended && !suspended.amount.isPositive()) continue;
    const fee = suspended ? { ...fullFee, amount: suspended.amount, days: suspended.billableDays } : fullFee;
    lines.push(
      line({
        lineId: `${account.subscriptionId}:option:${key}:${month}`,
        kind: 'option',
        subscriptionId: account.subscriptionId,
        itemId: key,
        label: `${version.label} (${monthLabelFr(month)})`,
        detail: fee.days !== fee.daysInMonth ? `Prorata ${fee.days}/${fee.daysInMonth} jours` : null,
        quantity: String(option.quantity),
        unitPrice: version.price,
        amount: fmt(fee.amount),
        vatRate,
        rule: suspended ? 'SUS-05' : 'BIL-02',
        periodFrom: fee.from,
        periodTo: fee.to,
        priceVersion: version.version,
      }),
    );
  }
  // BIL-07 / BIL-09: rated consumption of the month; CDRs arriving after the month was billed are billed as the difference.
  const rated = (input.consumption[account.subscriptionId]?.[month] ?? Money.zero()).roundToCent();
  const toBill = rated.subtract(Money.eur(billed?.consumption ?? '0'));
  if (toBill.isPositive()) {
    lines.push(
      line({
        lineId: `${account.subscriptionId}:consumption:${month}:${fmt(rated)}`,
        kind: 'consumption',
        subscriptionId: account.subscriptionId,
        label: `Communications (${monthLabelFr(month)})${billed && !Money.eur(billed.consumption).isZero() ? ' — complément' : ''}`,
        detail: 'Selon le relevé des communications du système de facturation OKSIO (BIL-07)',
        quantity: '1',
        unitPrice: fmt(toBill),
        amount: fmt(toBill),
        vatRate,
        rule: 'BIL-09',
        periodFrom: firstDayOf(month),
        periodTo: lastDayOf(month),
      }),
    );
  }
  return lines;
}

/** The lines one account contributes to the invoice of `month` (before credits are capped). */
export function accountLines(account: AccountState, input: DraftInput): InvoiceLine[] {
  const lines = billableMonths(account, input.month).flatMap((m) => subscriptionLines(account, input, m));
  const lastDay = lastDayOf(input.month);
  for (const c of account.charges) {
    if (c.done || c.occurredOn > lastDay) continue;
    lines.push(...chargeLines(account, c, input, input.settings.vatRate));
  }
  return lines;
}

/**
 * Builds the invoice of one customer for one billing month, or null when nothing is due.
 * Credits (BIL-11) never make an invoice negative: what exceeds the charges stays for the next one.
 */
export function draftInvoice(input: DraftInput): InvoiceDocument | null {
  if (input.issuedOn <= lastDayOf(input.month)) {
    throw new DomainError('billing_month_not_over', `${input.month} is billed in arrears, from ${addDays(lastDayOf(input.month), 1)} on`, 'BIL-02', 'month');
  }
  const accounts = [...input.accounts].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  const all = accounts.flatMap((a) => accountLines(a, input));
  // Credits (BIL-11 penalties, SUS-05 credits of fees already billed) are negative lines.
  const isCredit = (l: InvoiceLine) => l.kind === 'credit' || Money.eur(l.amount).isNegative();
  const positives = all.filter((l) => !isCredit(l));
  let room = Money.sum(positives.map((l) => Money.eur(l.amount)));
  const lines: InvoiceLine[] = [...positives];
  for (const credit of all.filter(isCredit)) {
    if (!room.isPositive()) break;
    const wanted = Money.eur(credit.amount).negate();
    const used = Money.min(wanted, room);
    room = room.subtract(used);
    lines.push({ ...credit, amount: fmt(used.negate()), unitPrice: fmt(used.negate()), detail: used.equals(wanted) ? credit.detail : `${credit.detail} — partiel, solde ${fmt(wanted.subtract(used))} € reporté` });
  }
  if (lines.length === 0) return null;
  const facts: AccountBillingFacts[] = accounts
    .map((a) => {
      const own = lines.filter((l) => l.subscriptionId === a.subscriptionId);
      const monthOf = (l: InvoiceLine) => yearMonthOf(l.periodFrom!);
      const periodLines = own.filter((l) => l.kind === 'subscription' || l.kind === 'option' || l.kind === 'consumption');
      const periods = [...new Set(periodLines.map(monthOf))].sort().map((period) => {
        const of = periodLines.filter((l) => monthOf(l) === period);
        const sum = (kinds: LineKind[]) => fmt(Money.sum(of.filter((l) => kinds.includes(l.kind)).map((l) => Money.eur(l.amount))));
        return {
          period,
          subscription: sum(['subscription', 'option']),
          consumption: sum(['consumption']),
          items: Object.fromEntries(of.filter((l) => l.kind === 'subscription').map((l) => [l.itemId!, l.amount])),
          options: Object.fromEntries(of.filter((l) => l.kind === 'option').map((l) => [l.itemId!, l.amount])),
        };
      });
      return {
        subscriptionId: a.subscriptionId,
        periods,
        charges: own.filter((l) => l.chargeId).map((l) => ({ chargeId: l.chargeId!, amount: fmt(Money.eur(l.amount).abs()) })),
      };
    })
    .filter((f) => f.periods.length > 0 || f.charges.length > 0);
  const multiplier = input.settings.lateInterestMultiplier;
  return {
    invoiceId: input.invoiceId,
    customerId: input.customerId,
    billingMonth: input.month,
    issuedOn: input.issuedOn,
    dueOn: addDays(input.issuedOn, input.settings.paymentTermDays),
    seller: input.settings.seller,
    buyer: input.buyer,
    lines,
    ...totals(lines),
    subscriptionIds: facts.map((f) => f.subscriptionId),
    services: Object.fromEntries(accounts.filter((a) => facts.some((f) => f.subscriptionId === a.subscriptionId)).map((a) => [a.subscriptionId, a.service])),
    payment: { method: input.mandateId ? 'sepa_direct_debit' : 'bank_transfer', mandateId: input.mandateId, creditorId: input.settings.seller.sepaCreditorId },
    lateTerms: {
      multiplier,
      indemnity: input.settings.recoveryIndemnity,
      text:
        `En cas de retard de paiement, des pénalités de retard sont exigibles dès le lendemain de la date d'échéance, au taux journalier de ${multiplier} fois le taux de l'intérêt légal en vigueur, ` +
        `ainsi qu'une indemnité forfaitaire pour frais de recouvrement de ${input.settings.recoveryIndemnity.replace('.', ',')} € (art. L441-10 et D441-5 du Code de commerce). Pas d'escompte pour paiement anticipé.`,
    },
    accounts: facts,
  };
}
