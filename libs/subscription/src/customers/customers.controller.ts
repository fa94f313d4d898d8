import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Roles, pageOf, RevisionETag, UuidParam } from '@oksio/platform';
import { ContactDto, RegisterCustomerDto } from './customers.dto';
import { CustomerSearchQueryDto } from './customers.query';
import { CustomersService } from './customers.service';
import { customerStream } from './customer.decider';

const uuid = UuidParam();

@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Registers a business customer and its contacts (contact details are encrypted personal data)' })
  register(@Body() dto: RegisterCustomerDto, @Ctx() ctx: CommandContext) {
    return this.customers.register(dto, ctx);
  }

  @Get()
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Search by company name or SIRET prefix' })
  search(@Query() query: CustomerSearchQueryDto) {
    return this.customers.search(query.q ?? '', pageOf(query));
  }

  @Get(':customerId')
  @RevisionETag((params) => customerStream(params.customerId))
  @Roles('system', 'support', 'admin', 'auditor')
  get(@Param('customerId', uuid) customerId: string) {
    return this.customers.get(customerId);
  }

  @Post(':customerId/contacts')
  @Roles('system', 'support', 'admin')
  addContact(@Param('customerId', uuid) customerId: string, @Body() dto: ContactDto, @Ctx() ctx: CommandContext) {
    return this.customers.addContact(customerId, dto, ctx);
  }

  @Delete(':customerId/contacts/:contactId')
  @HttpCode(204)
  @Roles('system', 'support', 'admin')
  async removeContact(
    @Param('customerId', uuid) customerId: string,
    @Param('contactId', uuid) contactId: string,
    @Ctx() ctx: CommandContext,
  ) {
    await this.customers.removeContact(customerId, contactId, ctx);
  }
}
