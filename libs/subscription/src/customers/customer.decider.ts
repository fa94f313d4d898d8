import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';

/**
 * The customer (a business: OKSIO sells B2B) and its contacts. Contacts are natural persons:
 * their details travel in events only as encrypted values (`Protected`), produced by the
 * application layer before deciding, so the decider never sees how they are stored.
 */
export type Protected = Record<string, unknown>;

export type ContactRole = 'signatory' | 'technical' | 'billing' | 'other';

export interface ContactInput {
  contactId: string;
  role: ContactRole;
  /** May call support and open tickets (INC-02). */
  authorisedForSupport: boolean;
  /** Encrypted { name, email, phone }. */
  details: Protected;
}

export interface Address {
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: string;
}

export type CustomerCommand =
  | { type: 'RegisterCustomer'; customerId: string; companyName: string; siret: string; billingAddress: Address; contacts: ContactInput[] }
  | { type: 'AddContact'; contact: ContactInput }
  | { type: 'RemoveContact'; contactId: string }
  | { type: 'ChangeBillingAddress'; billingAddress: Address };

export type CustomerEvent =
  | DomainEvent<'CustomerRegistered', { customerId: string; companyName: string; siret: string; billingAddress: Address; registeredAt: string }>
  | DomainEvent<'CustomerContactAdded', { customerId: string; contactId: string; role: ContactRole; authorisedForSupport: boolean; details: Protected }>
  | DomainEvent<'CustomerContactRemoved', { customerId: string; contactId: string }>
  | DomainEvent<'CustomerBillingAddressChanged', { customerId: string; billingAddress: Address }>;

export interface CustomerState {
  customerId: string | null;
  contacts: Record<string, { role: ContactRole; authorisedForSupport: boolean }>;
}

/**
 * SIRET: 14 digits with a Luhn check; La Poste's establishments (SIREN 356000000) are numbered
 * beyond Luhn and instead have digits summing to a multiple of 5.
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhn(siret)) return true;
  return siret.startsWith('356000000') && [...siret].reduce((s, d) => s + Number(d), 0) % 5 === 0;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: { customerId: null, contacts: {} },

  decide(command, state, now) {
    switch (command.type) {
      case 'RegisterCustomer': {
        if (state.customerId) throw new DomainError('customer_exists', `Customer ${state.customerId} is already registered`, undefined, 'customerId');
        if (!isValidSiret(command.siret)) throw new DomainError('invalid_siret', 'The SIRET fails its check digit', undefined, 'siret');
        const ids = command.contacts.map((c) => c.contactId);
        if (new Set(ids).size !== ids.length) throw new DomainError('duplicate_contact', 'Two contacts share one id', undefined, 'contacts');
        if (!command.contacts.some((c) => c.role === 'signatory')) {
          throw new DomainError('signatory_required', 'A customer needs a signatory contact (SUB-01: the subscription form is signed)', 'SUB-01', 'contacts');
        }
        return [
          {
            type: 'CustomerRegistered',
            data: {
              customerId: command.customerId,
              companyName: command.companyName,
              siret: command.siret,
              billingAddress: command.billingAddress,
              registeredAt: now.toISOString(),
            },
          },
          ...command.contacts.map(
            (c): CustomerEvent => ({ type: 'CustomerContactAdded', data: { customerId: command.customerId, ...c } }),
          ),
        ];
      }
      case 'AddContact': {
        const id = requireCustomer(state);
        if (state.contacts[command.contact.contactId]) {
          throw new DomainError('duplicate_contact', `Contact ${command.contact.contactId} exists`, undefined, 'contactId');
        }
        return [{ type: 'CustomerContactAdded', data: { customerId: id, ...command.contact } }];
      }
      case 'RemoveContact': {
        const id = requireCustomer(state);
        const contact = state.contacts[command.contactId];
        if (!contact) throw new DomainError('unknown_contact', `No contact ${command.contactId}`, undefined, 'contactId');
        const signatories = Object.values(state.contacts).filter((c) => c.role === 'signatory').length;
        if (contact.role === 'signatory' && signatories === 1) {
          throw new DomainError('signatory_required', 'The last signatory cannot be removed', 'SUB-01', 'contactId');
        }
        return [{ type: 'CustomerContactRemoved', data: { customerId: id, contactId: command.contactId } }];
      }
      case 'ChangeBillingAddress': {
        const id = requireCustomer(state);
        return [{ type: 'CustomerBillingAddressChanged', data: { customerId: id, billingAddress: command.billingAddress } }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CustomerRegistered':
        return { ...state, customerId: event.data.customerId };
      case 'CustomerContactAdded':
        return {
          ...state,
          contacts: { ...state.contacts, [event.data.contactId]: { role: event.data.role, authorisedForSupport: event.data.authorisedForSupport } },
        };
      case 'CustomerContactRemoved': {
        const { [event.data.contactId]: _removed, ...rest } = state.contacts;
        return { ...state, contacts: rest };
      }
      default:
        return state;
    }
  },
};

function requireCustomer(state: CustomerState): string {
  if (!state.customerId) throw new DomainError('customer_not_found', 'No such customer', undefined, 'customerId');
  return state.customerId;
}

export const customerStream = (customerId: string) => `customer-${customerId}`;
