import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from '@oksio/platform';
import { PiiVault, isEncryptedPii, isErased } from '@oksio/privacy';
import type { CustomerEvent } from './customer.decider';
import { CustomerContactRow, CustomerRow } from './customer.entities';

interface ContactDetails {
  name?: string;
  email?: string;
  phone?: string;
}

/** Customer directory for support staff: search by name or SIRET, contacts in clear (until erased). */
@Injectable()
export class CustomersProjection implements Projection {
  readonly name = 'customers';
  readonly eventTypes = ['CustomerRegistered', 'CustomerContactAdded', 'CustomerContactRemoved', 'CustomerBillingAddressChanged'];

  constructor(private readonly vault: PiiVault) {}

  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as CustomerEvent;
    switch (event.type) {
      case 'CustomerRegistered':
        await tx.upsert(
          CustomerRow,
          { ...event.data, registeredAt: new Date(event.data.registeredAt) },
          ['customerId'],
        );
        return;
      case 'CustomerContactAdded': {
        const details = isEncryptedPii(event.data.details) ? await this.vault.reveal<ContactDetails>(event.data.details) : null;
        const clear = details && !isErased(details) ? details : null;
        await tx.upsert(
          CustomerContactRow,
          {
            contactId: event.data.contactId,
            customerId: event.data.customerId,
            role: event.data.role,
            authorisedForSupport: event.data.authorisedForSupport,
            name: clear?.name ?? null,
            email: clear?.email ?? null,
            phone: clear?.phone ?? null,
            erased: clear === null,
          },
          ['contactId'],
        );
        return;
      }
      case 'CustomerContactRemoved':
        await tx.delete(CustomerContactRow, { contactId: event.data.contactId });
        return;
      case 'CustomerBillingAddressChanged':
        await tx.update(CustomerRow, { customerId: event.data.customerId }, { billingAddress: event.data.billingAddress });
        return;
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM customer_contacts');
    await tx.query('DELETE FROM customers');
  }
}
