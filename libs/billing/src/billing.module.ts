import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { PersonalDataRegistry } from '@oksio/privacy';
import { BillingQueries } from './application/billing-queries.service';
import { BillingService, CONSUMPTION_SOURCE } from './application/billing.service';
import { billingMandatesContributor, billingMandatesRedactor } from './application/personal-data';
import { InvoiceRegisterService } from './application/register.service';
import { billingProviders, DUE } from './application/tokens';
import { createChargesDecider, customerBillingDecider, handsetOrderDecider, mandateDecider, referenceDecider, registerDecider, SEED_REFERENCE } from './domain';
import { BillingController } from './http/billing.controller';
import { BillingResolver } from './http/billing.resolver';
import { BillingAccountsProjection } from './projections/accounts.projection';
import { BillingHandsetOrdersProjection } from './projections/handset-orders.projection';
import { BillingInvoicesProjection } from './projections/invoices.projection';
import { RatingService, SipRatingModule } from './rating';

/**
 * Billing context: catalogue, invoicing runs, invoice register, payments and SEPA mandates,
 * overdue (BIL-05) and the non-payment signals Subscription acts on (SUS-02, SUS-06), disputes
 * (BIL-06), liability caps (BIL-12); SIP rating (BIL-09) is the SipRatingModule it imports.
 */
@Module({
  imports: [SipRatingModule],
  controllers: [BillingController],
  providers: [
    ...billingProviders,
    { provide: CONSUMPTION_SOURCE, useExisting: RatingService },
    InvoiceRegisterService,
    BillingService,
    BillingQueries,
    BillingResolver,
    BillingAccountsProjection,
    BillingInvoicesProjection,
    BillingHandsetOrdersProjection,
  ],
  exports: [BillingService, BillingQueries],
})
export class BillingModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly billing: BillingService,
    private readonly accounts: BillingAccountsProjection,
    private readonly invoices: BillingInvoicesProjection,
    private readonly handsetOrders: BillingHandsetOrdersProjection,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.accounts);
    this.worker.registerProjection(this.invoices);
    this.worker.registerProjection(this.handsetOrders);
    this.worker.registerDueActionHandler(DUE.runMonth, (a) => this.billing.runMonthDue(a));
    this.worker.registerDueActionHandler(DUE.overdue, (a) => this.billing.ledgerDue(a, { type: 'MarkOverdue' }));
    this.worker.registerDueActionHandler(DUE.suspension, (a) => this.billing.ledgerDue(a, { type: 'CheckNonPaymentSuspension' }));
    this.worker.registerDueActionHandler(DUE.deliveries, (a) => this.billing.ledgerDue(a, { type: 'CheckDeliverySuspension' }));
    this.worker.registerDueActionHandler(DUE.lapseDispute, (a) => this.billing.ledgerDue(a, { type: 'LapseDispute', disputeId: String(a.payload.disputeId) }));
    this.worker.registerDueActionHandler(DUE.creditNote, (a) => this.billing.issueCreditNoteDue(a));
    this.worker.registerDueActionHandler(DUE.handsetInvoice, (a) => this.billing.issueHandsetInvoiceDue(a));
    this.worker.registerDueActionHandler(DUE.handsetPayment, (a) => this.billing.checkHandsetPaymentDue(a));
    this.audit.registerStreamCategory('billingreference', referenceDecider as never);
    this.audit.registerStreamCategory('invoiceregister', registerDecider as never);
    this.audit.registerStreamCategory('billingcustomer', mandateDecider as never);
    this.audit.registerStreamCategory('billingledger', customerBillingDecider as never);
    this.audit.registerStreamCategory('handsetorder', handsetOrderDecider as never);
    this.audit.registerStreamCategory('billingaccount', createChargesDecider(SEED_REFERENCE) as never);
    // PRV-01 / PRV-04: SEPA mandates hold the customer's IBAN (bank_details, encrypted in events).
    this.personalData.registerRedactor('billing.mandates', billingMandatesRedactor);
    this.personalData.registerExportContributor('billing.mandates', billingMandatesContributor);
  }
}
