import { given } from '@oksio/kernel/testing/decider-spec';
import { customerDecider, isValidSiret, type CustomerEvent } from './customer.decider';

const now = new Date('2026-03-02T09:00:00Z');
const address = { line1: '1 rue A', postalCode: '75001', city: 'Paris', country: 'FR' };
const signatory = { contactId: 'c1', role: 'signatory' as const, authorisedForSupport: true, details: { $pii: 1 } };
const registered: CustomerEvent[] = [
  { type: 'CustomerRegistered', data: { customerId: 'k1', companyName: 'ACME', siret: '73282932000074', billingAddress: address, registeredAt: now.toISOString() } },
  { type: 'CustomerContactAdded', data: { customerId: 'k1', ...signatory } },
];

describe('customer decider', () => {
  it('checks SIRET check digits (Luhn, and the La Poste exception)', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('35600000000048')).toBe(true); // La Poste head office: Luhn holds
    expect(isValidSiret('35600000012346')).toBe(true); // La Poste establishment: digit sum 30, Luhn fails
    expect(isValidSiret('35600000012345')).toBe(false); // digit sum 29
    expect(isValidSiret('1234')).toBe(false);
  });

  it('registers a customer with its contacts', () => {
    given(customerDecider)
      .when({ type: 'RegisterCustomer', customerId: 'k1', companyName: 'ACME', siret: '73282932000074', billingAddress: address, contacts: [signatory] }, now)
      .then(registered);
  });

  it('SUB-01 refuses a customer without a signatory, and removing the last signatory', () => {
    given(customerDecider)
      .when({ type: 'RegisterCustomer', customerId: 'k1', companyName: 'ACME', siret: '73282932000074', billingAddress: address, contacts: [{ ...signatory, role: 'technical' }] }, now)
      .thenRejects('signatory_required', 'SUB-01');
    given(customerDecider, registered).when({ type: 'RemoveContact', contactId: 'c1' }, now).thenRejects('signatory_required', 'SUB-01');
  });

  it('refuses a second registration and unknown contacts', () => {
    given(customerDecider, registered)
      .when({ type: 'RegisterCustomer', customerId: 'k1', companyName: 'ACME', siret: '73282932000074', billingAddress: address, contacts: [signatory] }, now)
      .thenRejects('customer_exists');
    given(customerDecider, registered).when({ type: 'RemoveContact', contactId: 'nope' }, now).thenRejects('unknown_contact');
  });
});
