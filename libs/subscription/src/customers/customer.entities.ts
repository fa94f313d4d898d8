import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Address, ContactRole } from './customer.decider';

@Entity('customers')
export class CustomerRow {
  @PrimaryColumn('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'company_name' }) companyName: string;
  @Column('char', { length: 14 }) siret: string;
  @Column('jsonb', { name: 'billing_address' }) billingAddress: Address;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
}

/** Contacts are natural persons: clear values here are redacted when their key is shredded. */
@Entity('customer_contacts')
export class CustomerContactRow {
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text') role: ContactRole;
  @Column('boolean', { name: 'authorised_for_support' }) authorisedForSupport: boolean;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('boolean') erased: boolean;
}
