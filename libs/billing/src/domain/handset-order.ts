import { ConflictError, DomainError, Money, type Decider, type DomainEvent } from '@oksio/kernel';
import { localDateOf, requireLocalDate, yearMonthOf, type LocalDate } from './calendar';
import { totals, type InvoiceDocument, type InvoiceLine, type Party } from './invoice';
import type { BillingSettings } from './settings';

/**
 * MOBILE handset orders (stream `handsetorder-<orderId>`), BIL-13 (CP Mobile 15: "Toute commande
 * de GSM ne pourra être honorée qu'après la réception par OKSIO du règlement du Client"): the
 * order is invoiced at once — equipment is due at order, billed in advance (BIL-02) — and is
 * released for delivery only once that invoice is paid in full. Payment is by cheque until the
 * client's bank details are registered, then by SEPA direct debit (CP Mobile 15).
 *
 * `HandsetOrderReleasedForDelivery` is the event logistics (or any other context) consumes; a
 * payment rejected before shipment withdraws the release (`HandsetOrderReleaseWithdrawn`), and a
 * shipment is refused unless the order is released and its invoice still paid.
 *
 * Decision: the handset invoice is due on its issue date ("exigible à la commande") and does not
 * enter the overdue / suspension chain of service invoices (BIL-05, SUS-02, SUS-06): nothing is
 * delivered before payment, which is the remedy the contract gives for an unpaid handset order.
 */
export interface HandsetLineInput {
  model: string;
  label: string;
  quantity: number;
  /** Unit price EUR HT as quoted (BIL-01: the tariff of the quote). */
  unitPrice: string;
}

export type HandsetOrderStatus = 'awaiting_payment' | 'released' | 'shipped';

export interface HandsetOrderState {
  orderId: string | null;
  customerId: string | null;
  subscriptionId: string | null;
  invoiceId: string | null;
  orderedOn: LocalDate | null;
  lines: HandsetLineInput[];
  status: HandsetOrderStatus | null;
  releasedOn: LocalDate | null;
  shippedOn: LocalDate | null;
}

/** What the ledger of the order's invoice says when the order is checked (read by the application layer). */
export interface PaymentStatus {
  /** TTC still owed on the invoice. */
  outstanding: string;
  /** Receipt date of the last payment that counts (null when none). */
  paidOn: LocalDate | null;
}

export type HandsetOrderCommand =
  | { type: 'PlaceHandsetOrder'; orderId: string; customerId: string; subscriptionId: string; service: string; invoiceId: string; lines: HandsetLineInput[] }
  | ({ type: 'CheckHandsetPayment' } & PaymentStatus)
  | ({ type: 'RecordHandsetShipment'; shipmentRef: string; shippedOn: LocalDate } & PaymentStatus);

type Base = { orderId: string; customerId: string; subscriptionId: string; invoiceId: string };
export type HandsetOrderEvent =
  | DomainEvent<'HandsetOrderPlaced', Base & { orderedOn: LocalDate; lines: HandsetLineInput[]; rule: 'BIL-13' }>
  | DomainEvent<'HandsetOrderReleasedForDelivery', Base & { paidOn: LocalDate; releasedOn: LocalDate; rule: 'BIL-13' }>
  | DomainEvent<'HandsetOrderReleaseWithdrawn', Base & { outstanding: string; withdrawnOn: LocalDate; rule: 'BIL-13' }>
  | DomainEvent<'HandsetOrderShipped', Base & { shipmentRef: string; shippedOn: LocalDate; rule: 'BIL-13' }>;

export const HANDSET_ORDER_EVENT_TYPES = ['HandsetOrderPlaced', 'HandsetOrderReleasedForDelivery', 'HandsetOrderReleaseWithdrawn', 'HandsetOrderShipped'] as const;
export const handsetOrderStream = (orderId: string): string => `handsetorder-${orderId}`;

const PRICE = /^\d{1,7}(\.\d{1,4})?$/;
export const MAX_HANDSET_LINES = 50;

function requireLines(lines: unknown): HandsetLineInput[] {
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_HANDSET_LINES) {
    throw new DomainError('invalid_handset_lines', `A handset order has 1 to ${MAX_HANDSET_LINES} lines`, 'BIL-13', 'lines');
  }
  return lines.map((l: HandsetLineInput, i) => {
    if (typeof l?.model !== 'string' || !l.model.trim()) throw new DomainError('invalid_model', 'Each line names the handset model', 'BIL-13', `lines[${i}].model`);
    if (typeof l.label !== 'string' || !l.label.trim()) throw new DomainError('invalid_label', 'Each line has a label', 'BIL-13', `lines[${i}].label`);
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 1000) throw new DomainError('invalid_quantity', 'quantity must be a whole number from 1 to 1000', 'BIL-13', `lines[${i}].quantity`);
    if (typeof l.unitPrice !== 'string' || !PRICE.test(l.unitPrice) || !Money.eur(l.unitPrice).isPositive()) {
      throw new DomainError('invalid_price', 'unitPrice must be a positive decimal string (EUR HT), at most 4 decimals', 'BIL-01', `lines[${i}].unitPrice`);
    }
    return { model: l.model.trim(), label: l.label.trim(), quantity: l.quantity, unitPrice: l.unitPrice };
  });
}

const isPaid = (p: PaymentStatus): boolean => Money.eur(p.outstanding).isZero();

function base(s: HandsetOrderState): Base {
  return { orderId: s.orderId!, customerId: s.customerId!, subscriptionId: s.subscriptionId!, invoiceId: s.invoiceId! };
}

function decide(command: HandsetOrderCommand, s: HandsetOrderState, now: Date): HandsetOrderEvent[] {
  const today = localDateOf(now);
  if (command.type === 'PlaceHandsetOrder') {
    if (s.orderId) throw new ConflictError('handset_order_exists', `Handset order ${command.orderId} exists`, [{ field: 'orderId', message: 'already placed' }]);
    if (command.service !== 'MOBILE') throw new DomainError('not_a_mobile_subscription', `Handsets are ordered on a MOBILE subscription, not ${command.service}`, 'BIL-13', 'subscriptionId');
    const lines = requireLines(command.lines);
    return [
      {
        type: 'HandsetOrderPlaced',
        data: { orderId: command.orderId, customerId: command.customerId, subscriptionId: command.subscriptionId, invoiceId: command.invoiceId, orderedOn: today, lines, rule: 'BIL-13' },
      },
    ];
  }
  if (!s.orderId) throw new DomainError('handset_order_not_found', 'No such handset order', 'BIL-13', 'orderId');
  if (command.type === 'CheckHandsetPayment') {
    if (s.status === 'awaiting_payment' && isPaid(command)) {
      return [{ type: 'HandsetOrderReleasedForDelivery', data: { ...base(s), paidOn: command.paidOn ?? today, releasedOn: today, rule: 'BIL-13' } }];
    }
    if (s.status === 'released' && !isPaid(command)) {
      // A cheque or a direct debit rejected before shipment: the order waits for payment again.
      return [{ type: 'HandsetOrderReleaseWithdrawn', data: { ...base(s), outstanding: Money.eur(command.outstanding).toString(), withdrawnOn: today, rule: 'BIL-13' } }];
    }
    return [];
  }
  const shippedOn = requireLocalDate(command.shippedOn, 'shippedOn', 'BIL-13');
  if (shippedOn > today) throw new DomainError('date_in_future', `shippedOn ${shippedOn} is after today`, 'BIL-13', 'shippedOn');
  if (s.status === 'shipped') throw new ConflictError('handset_order_shipped', `Handset order ${s.orderId} was shipped on ${s.shippedOn}`, [{ field: 'orderId', message: 'already shipped' }]);
  if (s.status !== 'released' || !isPaid(command)) {
    throw new DomainError(
      'handset_order_not_paid',
      `Handset order ${s.orderId} is served only after payment: its invoice has ${Money.eur(command.outstanding).toString()} € outstanding`,
      'BIL-13',
      'orderId',
    );
  }
  if (s.releasedOn && shippedOn < s.releasedOn) throw new DomainError('shipped_before_release', `The order was released on ${s.releasedOn}`, 'BIL-13', 'shippedOn');
  if (typeof command.shipmentRef !== 'string' || !command.shipmentRef.trim()) throw new DomainError('shipment_ref_required', 'A shipment has a carrier reference', 'BIL-13', 'shipmentRef');
  return [{ type: 'HandsetOrderShipped', data: { ...base(s), shipmentRef: command.shipmentRef.trim(), shippedOn, rule: 'BIL-13' } }];
}

function evolve(s: HandsetOrderState, event: HandsetOrderEvent): HandsetOrderState {
  const d = event.data as Record<string, any>;
  switch (event.type) {
    case 'HandsetOrderPlaced':
      return { ...s, orderId: d.orderId, customerId: d.customerId, subscriptionId: d.subscriptionId, invoiceId: d.invoiceId, orderedOn: d.orderedOn, lines: d.lines, status: 'awaiting_payment' };
    case 'HandsetOrderReleasedForDelivery':
      return { ...s, status: 'released', releasedOn: d.releasedOn };
    case 'HandsetOrderReleaseWithdrawn':
      return { ...s, status: 'awaiting_payment', releasedOn: null };
    case 'HandsetOrderShipped':
      return { ...s, status: 'shipped', shippedOn: d.shippedOn };
    default:
      return s;
  }
}

export const handsetOrderDecider: Decider<HandsetOrderCommand, HandsetOrderEvent, HandsetOrderState> = {
  initialState: { orderId: null, customerId: null, subscriptionId: null, invoiceId: null, orderedOn: null, lines: [], status: null, releasedOn: null, shippedOn: null },
  decide,
  evolve,
};

/**
 * The invoice of a handset order (BIL-02: equipment billed in advance, due at order; BIL-01: HT
 * per line rounded half-up, VAT per rate). Paid by cheque until a SEPA mandate is registered,
 * then by direct debit (CP Mobile 15).
 */
export function handsetInvoice(input: {
  order: Pick<HandsetOrderState, 'orderId' | 'customerId' | 'subscriptionId' | 'invoiceId' | 'orderedOn' | 'lines'>;
  settings: BillingSettings;
  buyer: Party;
  mandateId: string | null;
}): InvoiceDocument {
  const { order, settings } = input;
  const issuedOn = order.orderedOn!;
  const lines: InvoiceLine[] = order.lines.map((l, i) => ({
    lineId: `${order.orderId}:handset:${i + 1}`,
    kind: 'equipment',
    subscriptionId: order.subscriptionId,
    itemId: null,
    label: `${l.label} (${l.model})`,
    detail: `Commande de terminaux ${order.orderId} — livrée après réception du règlement (BIL-13)`,
    quantity: String(l.quantity),
    unitPrice: l.unitPrice,
    amount: Money.eur(l.unitPrice).multiply(l.quantity).roundToCent().toString(),
    vatRate: settings.vatRate,
    rule: 'BIL-02',
    periodFrom: issuedOn,
    periodTo: null,
    chargeId: null,
    priceVersion: null,
  }));
  const multiplier = settings.lateInterestMultiplier;
  return {
    invoiceId: order.invoiceId!,
    customerId: order.customerId!,
    billingMonth: yearMonthOf(issuedOn),
    issuedOn,
    dueOn: issuedOn,
    seller: settings.seller,
    buyer: input.buyer,
    lines,
    ...totals(lines),
    subscriptionIds: [order.subscriptionId!],
    services: { [order.subscriptionId!]: 'MOBILE' },
    payment: { method: input.mandateId ? 'sepa_direct_debit' : 'cheque', mandateId: input.mandateId, creditorId: settings.seller.sepaCreditorId },
    lateTerms: {
      multiplier,
      indemnity: settings.recoveryIndemnity,
      text: `Matériel payable à la commande ; la commande n'est honorée qu'après réception du règlement (conditions particulières Mobile, art. 15).`,
    },
    accounts: [],
    handsetOrderId: order.orderId!,
  };
}
