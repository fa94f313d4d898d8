import { Args, Field, GraphQLISODateTime, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, pageOf, ExpectedRevisionArg } from '@oksio/platform';
import { CustomerSearchArgs } from './customers.query';
import { CustomersService } from './customers.service';
import { RegisterCustomerDto } from './customers.dto';

@ObjectType('CustomerContact')
class CustomerContactType {
  @Field(() => ID) contactId: string;
  @Field() role: string;
  @Field() authorisedForSupport: boolean;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field({ description: 'True once the contact\'s personal data was erased (crypto-shredded)' }) erased: boolean;
}

@ObjectType('Customer')
export class CustomerType {
  @Field(() => ID) customerId: string;
  @Field() companyName: string;
  @Field() siret: string;
  @Field(() => GraphQLJSON) billingAddress: unknown;
  @Field(() => GraphQLISODateTime) registeredAt: Date;
  @Field(() => [CustomerContactType], { nullable: true }) contacts?: CustomerContactType[];
}

@ObjectType('CustomerRegistration')
class CustomerRegistrationType {
  @Field(() => ID) customerId: string;
}

@Resolver(() => CustomerType)
export class CustomersResolver {
  constructor(private readonly service: CustomersService) {}

  @Query(() => [CustomerType], { name: 'customers', description: 'Search customers by company name or SIRET prefix' })
  @Roles('system', 'support', 'admin', 'auditor')
  searchCustomers(@Args() args: CustomerSearchArgs) {
    return this.service.search(args.query, pageOf(args));
  }

  @Query(() => CustomerType, { name: 'customer' })
  @Roles('system', 'support', 'admin', 'auditor')
  customerById(@Args('customerId', { type: () => ID }) customerId: string) {
    return this.service.get(customerId);
  }

  @Mutation(() => CustomerRegistrationType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  registerCustomer(@Args('input', { type: () => RegisterCustomerDto }) input: RegisterCustomerDto, @Ctx() ctx: CommandContext) {
    return this.service.register(input, ctx);
  }
}
