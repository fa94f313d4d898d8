import { Money } from '@oksio/kernel';
import { addDays, calendarMonthsBetween, localDateOf, yearMonthOf, type LocalDate, type YearMonth } from './calendar';

/**
 * The billing account of one subscription: what Billing needs to know about the contract, folded
 * from the events of other contexts (Subscription, Incident, Portability) and of Billing itself
 * (options, one-off charges, issued invoices). Pure; JSON only; kept by a projection.
 */
export interface AccountItem {
  itemId: string;
  label: string;
  plan: string | null;
  /** Service start of the item (activation / SIM activation); null until then. */
  startsOn: LocalDate | null;
  /** Last day of service (inclusive). */
  endsOn: LocalDate | null;
  /** SUB-06: the month of the end billed in full. */
  fullMonth: YearMonth | null;
}

export type ChargeKind = 'access_fee' | 'fee' | 'credit' | 'early_termination' | 'remaining_fees';

export interface PendingCharge {
  chargeId: string;
  kind: ChargeKind;
  label: string;
  rule: string;
  occurredOn: LocalDate;
  /** Catalogue code priced at billing time (on `priceDate`), when `amount` is null. */
  code: string | null;
  priceDate: LocalDate | null;
  /** Fixed EUR HT amount when the source event gives it (incident fee, SLA penalty, SUB-09). */
  amount: string | null;
  quantity: number;
  itemId: string | null;
  /** SUB-07 / SUB-14. */
  monthsRemaining: number | null;
  /** EUR HT already invoiced for this charge (credits may be used over several invoices). */
  billed: string;
  done: boolean;
}

export interface BilledPeriod {
  period: YearMonth;
  /** Invoices that billed something of this period (a late fact is billed on a later invoice). */
  invoiceIds: string[];
  /** EUR HT billed for the subscription fees (and monthly options) of the period. */
  subscription: string;
  consumption: string;
  /** Subscription fees per item, for per-line early-termination fees (and to bill each item-month once). */
  items: Record<string, string>;
  /** Monthly options billed, by option entry key. */
  options: Record<string, string>;
}

export interface AccountOption {
  optionId: string;
  code: string;
  quantity: number;
  from: LocalDate;
  to: LocalDate | null;
}

/**
 * SUS-05: a suspension during which the subscription fees do not continue (force majeure suspends
 * both parties' obligations; Subscription says so with `subscriptionFeesContinue: false`). Its days
 * are removed from the monthly fees, prorated by days like BIL-03. Decision: the first day of the
 * suspension (the force-majeure start when given, else the day it was suspended, Paris time) is not
 * billed; the day it is lifted is (the service is back).
 */
export interface FeeSuspension {
  suspensionId: string;
  /** Items concerned; empty = the whole subscription (its monthly options too). */
  itemIds: string[];
  from: LocalDate;
  /** Last suspended day (inclusive); null while the suspension runs. */
  to: LocalDate | null;
  rule: string;
}

export type AccountStatus = 'ordered' | 'signed' | 'active' | 'terminated' | 'cancelled';

export interface AccountState {
  subscriptionId: string;
  customerId: string;
  service: string;
  quoteDate: LocalDate;
  status: AccountStatus;
  signedOn: LocalDate | null;
  activatedOn: LocalDate | null;
  items: Record<string, AccountItem>;
  endsOn: LocalDate | null;
  monthBilledInFull: YearMonth | null;
  options: Record<string, AccountOption>;
  /** SUS-05 suspensions without subscription fees (absent in accounts folded before they existed). */
  feeSuspensions?: FeeSuspension[];
  charges: PendingCharge[];
  billedPeriods: BilledPeriod[];
  /** Invoices already folded in (a replayed InvoiceIssued is a no-op). */
  invoiceIds: string[];
}

/** An event as the projection hands it over: type, data, where it comes from, its id and business time. */
export interface SourceEvent {
  type: string;
  data: Record<string, any>;
  streamId: string;
  eventId: string;
  occurredAt: string;
}

/** What an issued invoice billed for one subscription: per period, and the charges it used. */
export interface AccountBillingFacts {
  subscriptionId: string;
  periods: Array<{ period: YearMonth; subscription: string; consumption: string; items: Record<string, string>; options: Record<string, string> }>;
  charges: Array<{ chargeId: string; amount: string }>;
}

const today = (e: SourceEvent): LocalDate => e.occurredAt.slice(0, 10);

function charge(c: Partial<PendingCharge> & Pick<PendingCharge, 'chargeId' | 'kind' | 'label' | 'rule' | 'occurredOn'>): PendingCharge {
  return { code: null, priceDate: null, amount: null, quantity: 1, itemId: null, monthsRemaining: null, billed: '0', done: false, ...c };
}

function addCharge(state: AccountState, c: PendingCharge): AccountState {
  if (state.charges.some((x) => x.chargeId === c.chargeId)) return state;
  return { ...state, charges: [...state.charges, c] };
}

function endItems(state: AccountState, endsOn: LocalDate, fullMonth: YearMonth | null, only?: string[]): Record<string, AccountItem> {
  const items = { ...state.items };
  for (const [id, item] of Object.entries(items)) {
    if (only && !only.includes(id)) continue;
    if (item.endsOn && item.endsOn <= endsOn) continue;
    items[id] = { ...item, endsOn, fullMonth };
  }
  return items;
}

/** The fee an end leaves due (SUB-07 average, SUB-14 remaining monthly fees), as a pending charge. */
function endFee(e: SourceEvent, d: Record<string, any>, itemId: string | null): PendingCharge | null {
  if (!d.monthsRemaining || d.monthsRemaining <= 0) return null;
  if (d.feeBasis === 'early_termination_average') {
    return charge({
      chargeId: `ev:${e.eventId}`,
      kind: 'early_termination',
      label: itemId ? `Indemnité de résiliation anticipée — ${itemId}` : 'Indemnité de résiliation anticipée',
      rule: 'SUB-07',
      occurredOn: d.endsOn ?? today(e),
      itemId,
      monthsRemaining: d.monthsRemaining,
    });
  }
  if (d.feeBasis === 'remaining_monthly_fees') {
    return charge({
      chargeId: `ev:${e.eventId}`,
      kind: 'remaining_fees',
      label: itemId ? `Redevances restant dues jusqu'au terme — ${itemId}` : "Redevances restant dues jusqu'au terme",
      rule: 'SUB-14',
      occurredOn: d.endsOn ?? today(e),
      itemId,
      monthsRemaining: d.monthsRemaining,
    });
  }
  return null;
}

/** Folds one event into the account it concerns; null state means "no account yet". */
export function evolveAccount(state: AccountState | null, e: SourceEvent): AccountState | null {
  const d = e.data;
  if (e.streamId.startsWith('subscription-')) {
    if (e.type === 'OrderPlaced') {
      if (state) return state;
      const items: Record<string, AccountItem> = {};
      for (const i of d.items ?? []) items[i.itemId] = { itemId: i.itemId, label: i.label, plan: i.plan ?? null, startsOn: null, endsOn: null, fullMonth: null };
      return {
        subscriptionId: d.subscriptionId,
        customerId: d.customerId,
        service: d.service,
        quoteDate: d.quoteDate,
        status: 'ordered',
        signedOn: null,
        activatedOn: null,
        items,
        endsOn: null,
        monthBilledInFull: null,
        options: {},
        feeSuspensions: [],
        charges: [],
        billedPeriods: [],
        invoiceIds: [],
      };
    }
    if (!state) return null;
    switch (e.type) {
      case 'OrderRefused':
      case 'OrderCancelledByOksio':
        return { ...state, status: 'cancelled' };
      case 'OrderCancelledByClient': {
        const next = { ...state, status: 'cancelled' as const };
        if (d.amountDueBasis !== 'none' && typeof d.amountStillDue === 'string' && Money.eur(d.amountStillDue).isPositive()) {
          return addCharge(next, charge({ chargeId: `ev:${e.eventId}`, kind: 'fee', label: d.amountDueBasis === 'order_amount' ? 'Commande annulée sans accord écrit (montant dû)' : 'Commande annulée : frais engagés', rule: 'SUB-09', occurredOn: d.cancelledOn, amount: d.amountStillDue }));
        }
        return next;
      }
      case 'SubscriptionSigned': {
        // BIL-02: access and installation fees are due at order: billed on the first run after signature,
        // at the tariff in force on the quote date (BIL-01).
        let next: AccountState = { ...state, status: 'signed', signedOn: d.signedOn };
        for (const item of Object.values(state.items)) {
          next = addCharge(next, charge({ chargeId: `access:${state.subscriptionId}:${item.itemId}`, kind: 'access_fee', label: `Frais d'accès — ${item.label}`, rule: 'BIL-02', occurredOn: d.signedOn, code: `ACCESS:${state.service}:${item.plan ?? 'DEFAULT'}`, priceDate: state.quoteDate, itemId: item.itemId }));
        }
        return next;
      }
      case 'ServiceActivated': {
        const items = { ...state.items };
        for (const id of d.itemIds ?? Object.keys(items)) if (items[id] && !items[id].startsOn) items[id] = { ...items[id], startsOn: d.activatedOn };
        return { ...state, status: 'active', activatedOn: state.activatedOn ?? d.activatedOn, items };
      }
      case 'MobileLineActivated': {
        const item = state.items[d.lineId];
        if (!item || item.startsOn) return state;
        return { ...state, status: 'active', activatedOn: state.activatedOn ?? d.serviceStartOn, items: { ...state.items, [d.lineId]: { ...item, startsOn: d.serviceStartOn } } };
      }
      case 'PlanMigrated': {
        const item = state.items[d.itemId];
        return item ? { ...state, items: { ...state.items, [d.itemId]: { ...item, plan: d.toPlan } } } : state;
      }
      case 'SubscriptionTerminated': {
        const next: AccountState = { ...state, status: 'terminated', endsOn: d.endsOn, monthBilledInFull: d.monthBilledInFull ?? null, items: endItems(state, d.endsOn, d.monthBilledInFull ?? null) };
        const fee = endFee(e, d, null);
        return fee ? addCharge(next, fee) : next;
      }
      case 'ItemTerminated': {
        let next: AccountState = { ...state, items: endItems(state, d.endsOn, d.monthBilledInFull ?? null, [d.itemId]) };
        const fee = endFee(e, d, d.itemId);
        if (fee?.kind === 'early_termination') {
          // POR-06: a port-out is told by Portability (PortOutEarlyTerminationFeeDue) and by Subscription
          // (this event, the source of truth): one SUB-07 fee per line. A fee already invoiced stays
          // the only one; one not invoiced yet gives way to this event's months remaining.
          if (state.charges.some((c) => c.kind === 'early_termination' && c.itemId === d.itemId && c.done)) return next;
          next = { ...next, charges: next.charges.filter((c) => !(c.kind === 'early_termination' && c.itemId === d.itemId)) };
        }
        return fee ? addCharge(next, fee) : next;
      }
      case 'DataChangeCompleted':
        // SUB-14 / BIL-08: range, endpoint and address changes are billed as access fees.
        return addCharge(state, charge({ chargeId: `datachange:${d.changeId}`, kind: 'access_fee', label: `Changement ${d.kind === 'range' ? 'de gamme' : d.kind === 'endpoint' ? "d'extrémité" : "d'adresse"} — ${d.itemId}`, rule: 'SUB-14', occurredOn: d.changedOn, code: `ACCESS_CHANGE:DATA:${d.kind}`, priceDate: d.changedOn, itemId: d.itemId }));
      case 'ServiceSuspended': {
        // SUS-04 and the other suspensions keep the fees running; SUS-05 (force majeure) does not.
        const spans = state.feeSuspensions ?? [];
        if (d.subscriptionFeesContinue !== false || spans.some((x) => x.suspensionId === d.suspensionId)) return state;
        const from: LocalDate = d.forceMajeure?.startedOn ?? localDateOf(new Date(d.suspendedAt));
        return { ...state, feeSuspensions: [...spans, { suspensionId: d.suspensionId, itemIds: [...(d.itemIds ?? [])], from, to: null, rule: d.rule ?? 'SUS-05' }] };
      }
      case 'SuspensionLifted': {
        let next = state;
        const on = String(d.liftedAt).slice(0, 10);
        const span = (state.feeSuspensions ?? []).find((x) => x.suspensionId === d.suspensionId && x.to === null);
        if (span) {
          const to = addDays(localDateOf(new Date(d.liftedAt)), -1);
          const others = (state.feeSuspensions ?? []).filter((x) => x !== span);
          // Lifted the day it began: no day without fees.
          next = { ...next, feeSuspensions: to < span.from ? others : [...others, { ...span, to }] };
        }
        if (d.reconnectionCostsBillable) next = addCharge(next, charge({ chargeId: `reconnection:${d.suspensionId}`, kind: 'fee', label: 'Frais de remise en service (suspension imputable au client)', rule: 'SUS-01', occurredOn: on, code: 'FEE:RECONNECTION', priceDate: on }));
        if (d.newSimBilled) next = addCharge(next, charge({ chargeId: `newsim:${d.suspensionId}`, kind: 'fee', label: 'Nouvelle carte SIM (réactivation)', rule: 'SUS-04', occurredOn: on, code: 'FEE:SIM_REPLACEMENT', priceDate: on }));
        return next;
      }
      default:
        return state;
    }
  }
  if (!state) return null;
  if (e.streamId.startsWith('ticket-')) {
    if (e.type === 'SlaPenaltyGranted') {
      // BIL-11 / INC-15: the penalty is a credit on the next invoice.
      return addCharge(state, charge({ chargeId: `ev:${e.eventId}`, kind: 'credit', label: `Pénalité SLA — ticket ${d.reference} (${d.billingMonth})`, rule: 'BIL-11', occurredOn: String(d.grantedAt).slice(0, 10), amount: d.amount }));
    }
    if (e.type === 'IncidentFeeCharged') {
      const label = d.fee === 'unjustified_expertise' ? `Expertise injustifiée — ticket ${d.reference}` : `Ticket injustifié — ${d.reference}`;
      return addCharge(state, charge({ chargeId: `ev:${e.eventId}`, kind: 'fee', label, rule: d.rule ?? 'BIL-08', occurredOn: String(d.chargedAt).slice(0, 10), amount: d.amount }));
    }
    return state;
  }
  if (e.streamId.startsWith('porting-')) {
    if (e.type === 'LineContractTerminatedByPortOut') {
      // POR-06: the port-out ends the line's contract on the porting date; SUB-06 bills that month in full.
      return { ...state, items: endItems(state, d.effectiveOn, yearMonthOf(d.effectiveOn), [d.lineId]) };
    }
    if (e.type === 'PortOutEarlyTerminationFeeDue') {
      // Subscription's ItemTerminated (POR-06) may have told it first: one SUB-07 fee per line.
      if (state.charges.some((c) => c.kind === 'early_termination' && c.itemId === d.lineId)) return state;
      const monthsRemaining = calendarMonthsBetween(d.terminationEffectiveOn, d.commitmentPeriodLastDay);
      if (monthsRemaining <= 0) return state;
      return addCharge(state, charge({ chargeId: `ev:${e.eventId}`, kind: 'early_termination', label: `Indemnité de résiliation anticipée (portabilité sortante) — ${d.lineId}`, rule: 'SUB-07', occurredOn: d.terminationEffectiveOn, itemId: d.lineId, monthsRemaining }));
    }
    return state;
  }
  if (e.streamId.startsWith('billingaccount-')) {
    if (e.type === 'BillingOptionChanged') {
      // A change closes the running entry the day before and opens a new one: each part of a month
      // is billed at the quantity then in force.
      const options = { ...state.options };
      for (const [key, o] of Object.entries(options)) {
        if (o.optionId === d.optionId && o.to === null) options[key] = { ...o, to: addDays(d.effectiveOn, -1) };
      }
      if (d.quantity > 0) options[`${d.optionId}@${d.effectiveOn}`] = { optionId: d.optionId, code: d.code, quantity: d.quantity, from: d.effectiveOn, to: null };
      return { ...state, options };
    }
    if (e.type === 'ChargeRecorded') {
      return addCharge(state, charge({ chargeId: `charge:${d.chargeId}`, kind: 'fee', label: d.label, rule: d.rule, occurredOn: d.occurredOn, code: d.code, priceDate: d.occurredOn, quantity: d.quantity, itemId: d.itemId ?? null }));
    }
    return state;
  }
  return state;
}

/** Folds what an issued invoice billed for this account: billed periods (SUB-07 basis) and used charges. */
export function applyInvoiceToAccount(state: AccountState, invoiceId: string, facts: AccountBillingFacts): AccountState {
  if (state.invoiceIds.includes(invoiceId)) return state;
  const byPeriod = new Map(state.billedPeriods.map((p) => [p.period, p]));
  for (const f of facts.periods) {
    const before = byPeriod.get(f.period) ?? { period: f.period, invoiceIds: [], subscription: '0.00', consumption: '0.00', items: {}, options: {} };
    byPeriod.set(f.period, {
      period: f.period,
      invoiceIds: [...before.invoiceIds, invoiceId],
      subscription: Money.eur(before.subscription).add(Money.eur(f.subscription)).toString(),
      consumption: Money.eur(before.consumption).add(Money.eur(f.consumption)).toString(),
      // Additive: an item-month is billed once, then only credited (SUS-05 after the fact).
      items: addAmounts(before.items, f.items),
      options: addAmounts(before.options, f.options),
    });
  }
  const charges = state.charges.map((c) => {
    const used = facts.charges.filter((x) => x.chargeId === c.chargeId);
    if (used.length === 0) return c;
    const billed = Money.sum([Money.eur(c.billed), ...used.map((u) => Money.eur(u.amount))]).toString();
    const done = c.kind !== 'credit' || Money.eur(billed).compare(Money.eur(c.amount ?? '0')) >= 0;
    return { ...c, billed, done };
  });
  const billedPeriods = [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
  return { ...state, billedPeriods, charges, invoiceIds: [...state.invoiceIds, invoiceId] };
}

function addAmounts(before: Record<string, string>, added: Record<string, string>): Record<string, string> {
  const sum = { ...before };
  for (const [key, amount] of Object.entries(added)) sum[key] = key in before ? Money.eur(before[key]).add(Money.eur(amount)).toString() : amount;
  return sum;
}
