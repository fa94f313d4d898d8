import { given } from '@oksio/kernel/testing/decider-spec';
import { handsetInvoice, handsetOrderDecider, type HandsetOrderCommand, type HandsetOrderEvent } from './handset-order';
import { DEFAULT_BILLING_SETTINGS } from './settings';

const at = (date: string) => new Date(`${date}T10:00:00Z`);
const place: HandsetOrderCommand = {
  type: 'PlaceHandsetOrder',
  orderId: 'ho-1',
  customerId: 'k1',
  subscriptionId: 's1',
  service: 'MOBILE',
  invoiceId: 'inv-ho-1',
  lines: [
    { model: 'Fairphone 5', label: 'Smartphone', quantity: 2, unitPrice: '449.1667' },
    { model: 'Coque FP5', label: 'Coque', quantity: 3, unitPrice: '12.50' },
  ],
};
const placed = (): HandsetOrderEvent[] => given(handsetOrderDecider).when(place, at('2026-05-04')).events();
const unpaid = { outstanding: '1123.00', paidOn: null };
const paid = { outstanding: '0.00', paidOn: '2026-05-06' };

describe('MOBILE handset orders (BIL-13)', () => {
  it('BIL-13 a handset order is invoiced at order (BIL-02), due that day, payable by cheque until a SEPA mandate exists', () => {
    const [event] = placed();
    expect(event).toMatchObject({ type: 'HandsetOrderPlaced', data: { orderId: 'ho-1', invoiceId: 'inv-ho-1', orderedOn: '2026-05-04', rule: 'BIL-13' } });
    const state = given(handsetOrderDecider, placed()).state;
    const buyer = { customerId: 'k1', companyName: 'Client SARL', siret: null, address: null };
    const invoice = handsetInvoice({ order: state, settings: DEFAULT_BILLING_SETTINGS, buyer, mandateId: null });
    // 2 × 449.1667 = 898.3334 → 898.33; 3 × 12.50 = 37.50; HT 935.83; VAT 20 % = 187.166 → 187.17; TTC 1 123.00.
    expect(invoice.lines.map((l) => [l.kind, l.quantity, l.unitPrice, l.amount, l.rule])).toEqual([
      ['equipment', '2', '449.1667', '898.33', 'BIL-02'],
      ['equipment', '3', '12.50', '37.50', 'BIL-02'],
    ]);
    expect(invoice).toMatchObject({ invoiceId: 'inv-ho-1', handsetOrderId: 'ho-1', issuedOn: '2026-05-04', dueOn: '2026-05-04', billingMonth: '2026-05', totalHT: '935.83', totalVAT: '187.17', totalTTC: '1123.00', accounts: [] });
    expect(invoice.payment).toMatchObject({ method: 'cheque', mandateId: null });
    expect(handsetInvoice({ order: state, settings: DEFAULT_BILLING_SETTINGS, buyer, mandateId: 'RUM-1' }).payment).toMatchObject({ method: 'sepa_direct_debit', mandateId: 'RUM-1' });
  });

  it('BIL-13 the order is released for delivery only once its invoice is paid in full', () => {
    // Unpaid or partly paid: nothing happens.
    given(handsetOrderDecider, placed()).when({ type: 'CheckHandsetPayment', ...unpaid }, at('2026-05-05')).then([]);
    given(handsetOrderDecider, placed()).when({ type: 'CheckHandsetPayment', outstanding: '0.01', paidOn: '2026-05-05' }, at('2026-05-05')).then([]);
    const released = given(handsetOrderDecider, placed()).when({ type: 'CheckHandsetPayment', ...paid }, at('2026-05-06')).events();
    expect(released).toEqual([
      { type: 'HandsetOrderReleasedForDelivery', data: { orderId: 'ho-1', customerId: 'k1', subscriptionId: 's1', invoiceId: 'inv-ho-1', paidOn: '2026-05-06', releasedOn: '2026-05-06', rule: 'BIL-13' } },
    ]);
    // Checking again changes nothing (a retried due action).
    given(handsetOrderDecider, [...placed(), ...released]).when({ type: 'CheckHandsetPayment', ...paid }, at('2026-05-07')).then([]);
  });

  it('BIL-13 a shipment is refused before payment (422 naming the rule), accepted once released and paid', () => {
    given(handsetOrderDecider, placed()).when({ type: 'RecordHandsetShipment', shipmentRef: 'COL-1', shippedOn: '2026-05-05', ...unpaid }, at('2026-05-05')).thenRejects('handset_order_not_paid', 'BIL-13');
    expect(() =>
      handsetOrderDecider.decide({ type: 'RecordHandsetShipment', shipmentRef: 'COL-1', shippedOn: '2026-05-05', ...unpaid }, given(handsetOrderDecider, placed()).state, at('2026-05-05')),
    ).toThrow(expect.objectContaining({ rule: 'BIL-13', field: 'orderId' }));
    // Paid but not released yet (the check has not run): still refused.
    given(handsetOrderDecider, placed()).when({ type: 'RecordHandsetShipment', shipmentRef: 'COL-1', shippedOn: '2026-05-06', ...paid }, at('2026-05-06')).thenRejects('handset_order_not_paid', 'BIL-13');
    const released = [...placed(), { type: 'HandsetOrderReleasedForDelivery', data: { orderId: 'ho-1', customerId: 'k1', subscriptionId: 's1', invoiceId: 'inv-ho-1', paidOn: '2026-05-06', releasedOn: '2026-05-06', rule: 'BIL-13' } } as HandsetOrderEvent];
    const shipped = given(handsetOrderDecider, released).when({ type: 'RecordHandsetShipment', shipmentRef: 'COL-1', shippedOn: '2026-05-07', ...paid }, at('2026-05-07')).events();
    expect(shipped).toEqual([{ type: 'HandsetOrderShipped', data: expect.objectContaining({ orderId: 'ho-1', shipmentRef: 'COL-1', shippedOn: '2026-05-07', rule: 'BIL-13' }) }]);
    given(handsetOrderDecider, [...released, ...shipped]).when({ type: 'RecordHandsetShipment', shipmentRef: 'COL-2', shippedOn: '2026-05-07', ...paid }, at('2026-05-07')).thenRejects('handset_order_shipped');
  });

  it('BIL-13 a payment rejected after the release (bounced cheque) withdraws it: no shipment until paid again', () => {
    const released = given(handsetOrderDecider, placed()).when({ type: 'CheckHandsetPayment', ...paid }, at('2026-05-06')).events();
    const withdrawn = given(handsetOrderDecider, [...placed(), ...released]).when({ type: 'CheckHandsetPayment', outstanding: '1123.00', paidOn: null }, at('2026-05-08')).events();
    expect(withdrawn).toEqual([{ type: 'HandsetOrderReleaseWithdrawn', data: expect.objectContaining({ outstanding: '1123.00', withdrawnOn: '2026-05-08', rule: 'BIL-13' }) }]);
    const history = [...placed(), ...released, ...withdrawn];
    given(handsetOrderDecider, history).when({ type: 'RecordHandsetShipment', shipmentRef: 'COL-1', shippedOn: '2026-05-08', outstanding: '1123.00', paidOn: null }, at('2026-05-08')).thenRejects('handset_order_not_paid', 'BIL-13');
    const again = given(handsetOrderDecider, history).when({ type: 'CheckHandsetPayment', outstanding: '0.00', paidOn: '2026-05-12' }, at('2026-05-12')).events();
    expect(again[0]).toMatchObject({ type: 'HandsetOrderReleasedForDelivery', data: { paidOn: '2026-05-12' } });
  });

  it('BIL-13 handsets are ordered on a MOBILE subscription with valid lines; nothing else is recorded', () => {
    given(handsetOrderDecider).when({ ...place, service: 'DATA' } as HandsetOrderCommand, at('2026-05-04')).thenRejects('not_a_mobile_subscription');
    given(handsetOrderDecider).when({ ...place, lines: [] } as HandsetOrderCommand, at('2026-05-04')).thenRejects('invalid_handset_lines');
    given(handsetOrderDecider).when({ ...place, lines: [{ model: 'X', label: 'Y', quantity: 0, unitPrice: '10' }] } as HandsetOrderCommand, at('2026-05-04')).thenRejects('invalid_quantity');
    given(handsetOrderDecider).when({ ...place, lines: [{ model: 'X', label: 'Y', quantity: 1, unitPrice: '-3' }] } as HandsetOrderCommand, at('2026-05-04')).thenRejects('invalid_price');
    given(handsetOrderDecider, placed()).when(place, at('2026-05-04')).thenRejects('handset_order_exists');
    given(handsetOrderDecider).when({ type: 'CheckHandsetPayment', ...paid }, at('2026-05-04')).thenRejects('handset_order_not_found');
  });
});
