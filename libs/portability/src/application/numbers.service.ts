import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, DomainError, NotFoundError } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository, pageOf } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream, type SubscriptionState } from '@oksio/subscription';
import { mobileRioStream, numberRegistryDecider, numberStream, parseMobileNumber, rioRequestDecider, validateRio, type LineStatus } from '../domain';
import type { AssignNumberDto, RioCheckDto, RioRequestDto } from './dto';
import type { NumbersQuery } from './queries';
import { MobileLineRow, NumberRow, RioRow } from '../projections/entities';
import { executeDecidingAgain, followUp, oksioOperatorCode } from './streams';
import { lineFacts } from './subscription-line-facts';

export interface NumberView extends NumberRow {
  lineStatus: string | null;
  rio: string | null;
}

export interface RioCheck {
  valid: boolean;
  rio: string | null;
  reason: string | null;
  message: string;
}

/**
 * The number registry (one active owner per number, POR-07) and OKSIO's RIOs (POR-06, POR-07),
 * shared by REST and GraphQL.
 */
@Injectable()
export class NumbersService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A number from OKSIO's ranges put in service on a MOBILE line (one active owner per number). */
  async assign(dto: AssignNumberDto, ctx: CommandContext): Promise<{ msisdn: string }> {
    const msisdn = parseMobileNumber(dto.msisdn, 'msisdn').e164;
    const sub = await this.repository.load(subscriptionDecider, subscriptionStream(dto.subscriptionId));
    const facts = lineFacts(sub.state as SubscriptionState, dto.subscriptionId, dto.lineId);
    if (facts.line.status === 'terminated') throw new DomainError('line_terminated', `Line ${dto.lineId} has ended`, 'POR-07', 'lineId');
    await executeDecidingAgain(
      this.repository,
      numberRegistryDecider,
      numberStream(msisdn),
      { type: 'AssignNumber', msisdn, customerId: facts.customerId, subscriptionId: dto.subscriptionId, lineId: dto.lineId, simNumber: dto.simNumber, source: 'oksio_range' },
      ctx,
      () => this.clock.now(),
    );
    return { msisdn };
  }

  /**
   * POR-06: the RIO is given free for each active number, to whoever quotes its SIM number and the
   * holder's SIRET; the same number and contract always give the same RIO (POR-07).
   */
  async issueRio(dto: RioRequestDto, ctx: CommandContext): Promise<{ msisdn: string; rio: string; fee: string }> {
    const msisdn = parseMobileNumber(dto.msisdn, 'msisdn').e164;
    const owner = (await this.repository.load(numberRegistryDecider, numberStream(msisdn))).state.owner;
    let line = { servedByOksio: false, status: 'terminated' as LineStatus, simNumber: '', customerSiret: '', contractRef: 'none' };
    if (owner) {
      const sub = (await this.repository.load(subscriptionDecider, subscriptionStream(owner.subscriptionId))).state as SubscriptionState;
      const facts = lineFacts(sub, owner.subscriptionId, owner.lineId);
      // The customer directory of the Subscription context (its read model): the holder's SIRET.
      const customers: Array<{ siret: string }> = await this.dataSource.query('SELECT siret FROM customers WHERE customer_id::text = $1', [owner.customerId]);
      const customer = customers[0];
      const status: LineStatus = facts.line.status === 'terminated' || facts.phase === 'terminated' ? 'terminated' : facts.suspended ? 'suspended' : 'active';
      line = { servedByOksio: true, status, simNumber: owner.simNumber, customerSiret: customer?.siret ?? '', contractRef: `${owner.subscriptionId}/${owner.lineId}` };
    }
    const result = await this.repository.execute(
      rioRequestDecider,
      mobileRioStream(msisdn),
      { type: 'IssueRioOnRequest', requestId: dto.requestId ?? ctx.commandId, msisdn, simNumber: dto.simNumber, siret: dto.siret, operatorCode: oksioOperatorCode(), line },
      ctx,
      this.clock.now(),
    );
    return { msisdn, rio: result.state.rio as string, fee: '0.00' };
  }

  /** POR-07: syntax and control key of a RIO against a number; a wrong one is a 422 naming the reason. */
  checkRio(dto: RioCheckDto): RioCheck {
    const check = validateRio(dto.rio, dto.msisdn);
    if (!check.valid) throw new DomainError('invalid_rio', `${check.message} [${check.reason}]`, 'POR-07', check.reason === 'invalid_mobile_number' ? 'msisdn' : 'rio');
    return { valid: true, rio: check.rio, reason: null, message: check.message };
  }

  async get(msisdnInput: string): Promise<NumberView> {
    const msisdn = parseMobileNumber(msisdnInput, 'msisdn').e164;
    const row = await this.dataSource.getRepository(NumberRow).findOneBy({ msisdn });
    if (!row) throw new NotFoundError('number_not_found', `${msisdn} is not in the number registry`, [{ field: 'msisdn', message: 'unknown number' }]);
    const line = row.subscriptionId && row.lineId ? await this.dataSource.getRepository(MobileLineRow).findOneBy({ subscriptionId: row.subscriptionId, lineId: row.lineId }) : null;
    const rio = await this.dataSource.getRepository(RioRow).findOneBy({ msisdn });
    return { ...row, lineStatus: line?.status ?? null, rio: rio?.rio ?? null };
  }

  async list(filter: NumbersQuery): Promise<NumberRow[]> {
    const qb = this.dataSource.getRepository(NumberRow).createQueryBuilder('n');
    if (filter.subscriptionId) qb.andWhere('n.subscription_id = :s', { s: filter.subscriptionId });
    if (filter.status) qb.andWhere('n.status = :st', { st: filter.status });
    const { limit, offset } = pageOf(filter);
    return qb.orderBy('n.msisdn').limit(limit).offset(offset).getMany();
  }

  async rioOf(msisdnInput: string): Promise<RioRow> {
    const msisdn = parseMobileNumber(msisdnInput, 'msisdn').e164;
    const row = await this.dataSource.getRepository(RioRow).findOneBy({ msisdn });
    if (!row) throw new NotFoundError('rio_not_found', `No RIO was issued for ${msisdn}`, [{ field: 'msisdn', rule: 'POR-06', message: 'no RIO issued' }]);
    return row;
  }

  async findByRio(rio: string): Promise<RioRow> {
    const row = await this.dataSource.getRepository(RioRow).findOneBy({ rio: rio.replace(/\s+/g, '') });
    if (!row) throw new NotFoundError('rio_not_found', `No number has the RIO ${rio}`, [{ field: 'rio', rule: 'POR-07', message: 'unknown RIO' }]);
    return row;
  }
}
