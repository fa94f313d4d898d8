import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Inject } from '@nestjs/common';
import { CLOCK, type Clock, NotFoundError, newId } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository, type Paging } from '@oksio/platform';
import { PiiVault } from '@oksio/privacy';
import { type ContactInput, customerDecider, customerStream, type CustomerCommand } from './customer.decider';
import type { ContactDto, RegisterCustomerDto } from './customers.dto';
import { CustomerContactRow, CustomerRow } from './customer.entities';

export interface CustomerView extends CustomerRow {
  contacts: CustomerContactRow[];
}

/** Application service of the customer aggregate: shared by REST and GraphQL. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(dto: RegisterCustomerDto, ctx: CommandContext): Promise<{ customerId: string }> {
    const customerId = dto.customerId ?? newId();
    const contacts = await Promise.all(dto.contacts.map((c) => this.protectContact(c)));
    await this.execute(customerId, { type: 'RegisterCustomer', customerId, companyName: dto.companyName, siret: dto.siret, billingAddress: dto.billingAddress, contacts }, ctx, false);
    return { customerId };
  }

  async addContact(customerId: string, dto: ContactDto, ctx: CommandContext): Promise<{ contactId: string }> {
    const contact = await this.protectContact(dto);
    await this.execute(customerId, { type: 'AddContact', contact }, ctx);
    return { contactId: contact.contactId };
  }

  async removeContact(customerId: string, contactId: string, ctx: CommandContext): Promise<void> {
    await this.execute(customerId, { type: 'RemoveContact', contactId }, ctx);
  }

  /** Contact details are personal data: encrypted under the contact's own key (PRV-01). */
  private async protectContact(c: ContactDto): Promise<ContactInput> {
    const contactId = c.contactId ?? newId();
    const details = await this.vault.protect(`contact-${contactId}`, 'identity_contact', { name: c.name, email: c.email, phone: c.phone });
    return { contactId, role: c.role, authorisedForSupport: c.authorisedForSupport, details: details as unknown as Record<string, unknown> };
  }

  private async execute(customerId: string, command: CustomerCommand, ctx: CommandContext, mustExist = true) {
    if (mustExist) {
      const { revision } = await this.repository.load(customerDecider, customerStream(customerId));
      if (revision < 0) throw new NotFoundError('customer_not_found', `No customer ${customerId}`, [{ field: 'customerId', message: 'unknown customer' }]);
    }
    return this.repository.execute(customerDecider, customerStream(customerId), command, ctx, this.clock.now());
  }

  async get(customerId: string): Promise<CustomerView> {
    const customer = await this.dataSource.getRepository(CustomerRow).findOneBy({ customerId });
    if (!customer) throw new NotFoundError('customer_not_found', `No customer ${customerId}`, [{ field: 'customerId', message: 'unknown customer' }]);
    const contacts = await this.dataSource.getRepository(CustomerContactRow).find({ where: { customerId }, order: { role: 'ASC', name: 'ASC' } });
    return { ...customer, contacts };
  }

  /** Search by company name prefix/substring or SIRET (support staff's first screen). */
  async search(query: string, page: Paging): Promise<CustomerRow[]> {
    const q = query.trim();
    return this.dataSource
      .getRepository(CustomerRow)
      .createQueryBuilder('c')
      .where(/^\d{3,14}$/.test(q) ? 'c.siret LIKE :prefix' : 'lower(c.company_name) LIKE :contains', {
        prefix: `${q}%`,
        contains: `%${q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`,
      })
      .orderBy('c.company_name')
      .addOrderBy('c.customer_id')
      .limit(page.limit)
      .offset(page.offset)
      .getMany();
  }
}
