import { Args, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, pageOf, NoAggregateRevision } from '@oksio/platform';
import { BillingQueries } from '../application/billing-queries.service';
import { BillingService } from '../application/billing.service';
import {
  AssessLateInterestDto,
  ChangeOptionDto,
  DisputeDocumentsDto,
  GrantCreditDto,
  LegalRateDto,
  OpenDisputeDto,
  PlaceHandsetOrderDto,
  PriceChangeDto,
  RecordChargeDto,
  RecordHandsetShipmentDto,
  RecordPaymentDto,
  RegisterMandateDto,
  RejectPaymentDto,
  ResolveDisputeDto,
  RevokeMandateDto,
  RunBillingMonthDto,
} from './billing.dto';
import { DisputesQueryDto, HandsetOrdersQueryDto, InvoicesQueryDto, PageQueryDto, SepaMandatesArgs } from './billing.queries';

const READ = ['system', 'support', 'admin', 'auditor'] as const;
const WRITE = ['system', 'support', 'admin'] as const;

@ObjectType('Invoice', { description: 'An invoice or credit note; amounts are decimal strings in EUR' })
class InvoiceType {
  @Field(() => ID) invoiceId: string;
  @Field({ description: 'invoice | credit_note' }) kind: string;
  @Field() number: string;
  @Field() customerId: string;
  @Field(() => String, { nullable: true }) billingMonth: string | null;
  @Field(() => String, { nullable: true }) relatedInvoiceId: string | null;
  @Field() issuedOn: string;
  @Field(() => String, { nullable: true }) dueOn: string | null;
  @Field() totalHT: string;
  @Field() totalVAT: string;
  @Field() totalTTC: string;
  @Field() paid: string;
  @Field() credited: string;
  @Field() disputed: string;
  @Field() outstanding: string;
  @Field({ description: 'Outstanding minus the disputed (suspended) amount' }) payable: string;
  @Field({ description: 'issued | paid | overdue | disputed | credit_note' }) status: string;
  @Field(() => String, { nullable: true }) overdueSince: string | null;
  @Field() indemnity: string;
  @Field() interestAssessed: string;
  @Field(() => [String]) subscriptionIds: string[];
  @Field(() => GraphQLJSON, { nullable: true, description: 'Lines (invoice(id) only)' }) lines?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) vat?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) seller?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) buyer?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) payment?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) payments?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) disputes?: unknown;
  @Field(() => [InvoiceType], { nullable: true }) creditNotes?: InvoiceType[];
}

@ObjectType('InvoicePage')
class InvoicePage {
  @Field(() => [InvoiceType]) items: InvoiceType[];
  @Field(() => Int) total: number;
  @Field(() => Int) offset: number;
  @Field(() => Int) limit: number;
}

@ObjectType('OverdueInvoice')
class OverdueInvoiceType extends InvoiceType {
  @Field(() => Int) daysLate: number;
  @Field(() => String, { nullable: true, description: 'BIL-05 interest accrued to date' }) accruedInterest: string | null;
  @Field(() => String, { nullable: true, description: 'Why the interest could not be computed (e.g. no legal rate for a half-year)' }) interestError: string | null;
}

@ObjectType('OverduePage')
class OverduePage {
  @Field(() => [OverdueInvoiceType]) items: OverdueInvoiceType[];
  @Field(() => Int) total: number;
  @Field(() => Int) offset: number;
  @Field(() => Int) limit: number;
  @Field() asOf: string;
}

@ObjectType('CustomerBalance')
class BalanceType {
  @Field() customerId: string;
  @Field(() => Int) invoices: number;
  @Field() invoiced: string;
  @Field() paid: string;
  @Field() credited: string;
  @Field() outstanding: string;
  @Field() disputed: string;
  @Field() overdue: string;
  @Field() indemnities: string;
  @Field() interestAssessed: string;
  @Field({ description: 'outstanding + indemnities + assessed interest' }) balance: string;
}

@ObjectType('BalancePage')
class BalancePage {
  @Field(() => [BalanceType]) items: BalanceType[];
  @Field(() => Int) total: number;
  @Field(() => Int) offset: number;
  @Field(() => Int) limit: number;
}

@ObjectType('InvoiceDispute')
class DisputeType {
  @Field(() => ID) disputeId: string;
  @Field() invoiceId: string;
  @Field() invoiceNumber: string;
  @Field() customerId: string;
  @Field() amount: string;
  @Field() reasons: string;
  @Field({ description: 'open | documents_received | lapsed | resolved' }) status: string;
  @Field() lrarReceivedOn: string;
  @Field() documentsDueOn: string;
  @Field(() => String, { nullable: true }) documentsReceivedOn: string | null;
  @Field(() => String, { nullable: true }) closedOn: string | null;
  @Field(() => String, { nullable: true }) outcome: string | null;
  @Field(() => String, { nullable: true }) creditAmount: string | null;
  @Field(() => String, { nullable: true }) creditNoteId: string | null;
}

@ObjectType('DisputePage')
class DisputePage {
  @Field(() => [DisputeType]) items: DisputeType[];
  @Field(() => Int) total: number;
  @Field(() => Int) offset: number;
  @Field(() => Int) limit: number;
}

@Resolver()
export class BillingResolver {
  constructor(
    private readonly billing: BillingService,
    private readonly queries: BillingQueries,
  ) {}

  @Query(() => InvoicePage, { description: 'Invoices and credit notes, newest first' })
  @Roles(...READ)
  invoices(@Args() q: InvoicesQueryDto) {
    return this.queries.invoices(q);
  }

  @Query(() => InvoiceType)
  @Roles(...READ)
  invoice(@Args('id', { type: () => ID }) id: string) {
    return this.queries.invoice(id);
  }

  @Query(() => BalancePage)
  @Roles(...READ)
  balances(@Args() q: PageQueryDto) {
    return this.queries.balances(q);
  }

  @Query(() => OverduePage)
  @Roles(...READ)
  overdueInvoices(@Args() q: PageQueryDto) {
    return this.queries.overdue(q);
  }

  @Query(() => DisputePage)
  @Roles(...READ)
  disputes(@Args() q: DisputesQueryDto) {
    return this.queries.disputes(q);
  }

  @Query(() => GraphQLJSON, { description: 'Versioned price list (BIL-01, CON-02)' })
  @Roles(...READ)
  billingCatalogue(@Args('asOf', { nullable: true }) asOf?: string) {
    return this.queries.catalogue(asOf);
  }

  @Query(() => GraphQLJSON, { description: 'Legal interest rates per half-year (BIL-05)' })
  @Roles(...READ)
  legalInterestRates() {
    return this.queries.legalRates();
  }

  @Query(() => GraphQLJSON, { description: 'The billing account of a subscription' })
  @Roles(...READ)
  billingAccount(@Args('subscriptionId') subscriptionId: string) {
    return this.billing.account(subscriptionId);
  }

  @Query(() => GraphQLJSON, { description: 'BIL-05 late interest owed to date' })
  @Roles(...READ)
  lateInterest(@Args('invoiceId', { type: () => ID }) invoiceId: string, @Args('asOf', { nullable: true }) asOf?: string) {
    return this.billing.lateInterest(invoiceId, asOf);
  }

  @Query(() => GraphQLJSON, { description: 'BIL-12 liability cap for a claim' })
  @Roles(...READ)
  liabilityCap(@Args('subscriptionId') subscriptionId: string, @Args('eventOn') eventOn: string) {
    return this.billing.liabilityCap(subscriptionId, eventOn);
  }

  @Query(() => GraphQLJSON)
  @Roles(...READ)
  sepaMandates(@Args() q: SepaMandatesArgs) {
    return this.queries.mandates(q.customerId, pageOf(q));
  }

  @Mutation(() => GraphQLJSON, { description: 'RunBillingMonth: issues the invoices of a month; re-running never bills twice' })
  @Roles('admin', 'system')
  @NoAggregateRevision('a billing run invoices every customer of the month')
  runBillingMonth(@Args('input', { type: () => RunBillingMonthDto }) input: RunBillingMonthDto, @Ctx() ctx: CommandContext) {
    return this.billing.runMonth(input.month, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordPayment(@Args('invoiceId', { type: () => ID }) invoiceId: string, @Args('input', { type: () => RecordPaymentDto }) input: RecordPaymentDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordPayment(invoiceId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  rejectPayment(@Args('paymentId') paymentId: string, @Args('input', { type: () => RejectPaymentDto }) input: RejectPaymentDto, @Ctx() ctx: CommandContext) {
    return this.billing.rejectPayment(paymentId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  openDispute(@Args('invoiceId', { type: () => ID }) invoiceId: string, @Args('input', { type: () => OpenDisputeDto }) input: OpenDisputeDto, @Ctx() ctx: CommandContext) {
    return this.billing.openDispute(invoiceId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordDisputeDocuments(@Args('disputeId') disputeId: string, @Args('input', { type: () => DisputeDocumentsDto }) input: DisputeDocumentsDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordDisputeDocuments(disputeId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  resolveDispute(@Args('disputeId') disputeId: string, @Args('input', { type: () => ResolveDisputeDto }) input: ResolveDisputeDto, @Ctx() ctx: CommandContext) {
    return this.billing.resolveDispute(disputeId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  grantCredit(@Args('invoiceId', { type: () => ID }) invoiceId: string, @Args('input', { type: () => GrantCreditDto }) input: GrantCreditDto, @Ctx() ctx: CommandContext) {
    return this.billing.grantCredit(invoiceId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  assessLateInterest(@Args('invoiceId', { type: () => ID }) invoiceId: string, @Args('input', { type: () => AssessLateInterestDto }) input: AssessLateInterestDto, @Ctx() ctx: CommandContext) {
    return this.billing.assessLateInterest(invoiceId, input.asOf, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles('admin', 'system')
  publishPriceChange(@Args('input', { type: () => PriceChangeDto }) input: PriceChangeDto, @Ctx() ctx: CommandContext) {
    return this.billing.publishPriceChange(input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles('admin', 'system')
  publishLegalInterestRate(@Args('input', { type: () => LegalRateDto }) input: LegalRateDto, @Ctx() ctx: CommandContext) {
    return this.billing.publishLegalRate(input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordCharge(@Args('subscriptionId') subscriptionId: string, @Args('input', { type: () => RecordChargeDto }) input: RecordChargeDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordCharge(subscriptionId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  changeBillingOption(@Args('subscriptionId') subscriptionId: string, @Args('input', { type: () => ChangeOptionDto }) input: ChangeOptionDto, @Ctx() ctx: CommandContext) {
    return this.billing.changeOption(subscriptionId, input, ctx);
  }

  @Query(() => GraphQLJSON, { description: 'BIL-13: MOBILE handset orders (awaiting_payment, released, shipped)' })
  @Roles(...READ)
  handsetOrders(@Args() q: HandsetOrdersQueryDto) {
    return this.queries.handsetOrders(q);
  }

  @Query(() => GraphQLJSON)
  @Roles(...READ)
  handsetOrder(@Args('orderId') orderId: string) {
    return this.queries.handsetOrder(orderId);
  }

  @Mutation(() => GraphQLJSON, { description: 'BIL-13: a handset order, invoiced at once and served only after payment' })
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  placeHandsetOrder(@Args('input', { type: () => PlaceHandsetOrderDto }) input: PlaceHandsetOrderDto, @Ctx() ctx: CommandContext) {
    return this.billing.placeHandsetOrder(input, ctx);
  }

  @Mutation(() => GraphQLJSON, { description: 'BIL-13: refused until the order is released (its invoice paid)' })
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordHandsetShipment(@Args('orderId') orderId: string, @Args('input', { type: () => RecordHandsetShipmentDto }) input: RecordHandsetShipmentDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordHandsetShipment(orderId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  registerSepaMandate(@Args('customerId') customerId: string, @Args('input', { type: () => RegisterMandateDto }) input: RegisterMandateDto, @Ctx() ctx: CommandContext) {
    return this.billing.registerMandate(customerId, input, ctx);
  }

  @Mutation(() => GraphQLJSON)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  revokeSepaMandate(
    @Args('customerId') customerId: string,
    @Args('mandateId') mandateId: string,
    @Args('input', { type: () => RevokeMandateDto }) input: RevokeMandateDto,
    @Ctx() ctx: CommandContext,
  ) {
    return this.billing.revokeMandate(customerId, mandateId, input.reason, ctx);
  }
}
