import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, NotFoundError, deterministicId } from '@oksio/kernel';
import { type CommandContext, type DueAction, EventSourcedRepository, pageOf } from '@oksio/platform';
import { fixedLineMandateDecider, fixedLineMandateStream, type FixedLineMandateCommand } from '../domain';
import type { FixedLineResaleDto, NdiChangeNoticeDto, OblAcceptanceDto, OblRejectionDto, OnDateDto } from './dto';
import type { MandatesQuery } from './queries';
import { FixedLineMandateRow } from '../projections/entities';
import { systemContext } from './streams';

export interface MandateOutcome {
  mandateId: string;
  status: string;
  recorded: string[];
  reasons?: Array<{ code: string; rule: string; message: string }>;
}

/** Fixed-line resale mandates (SUB-17 eligibility, POR-08 mandate to the OBL and NDI changes), REST + GraphQL. */
@Injectable()
export class MandatesService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** SUB-17: an ineligible access is recorded as refused with every ground (the order cannot proceed). */
  async request(dto: FixedLineResaleDto, ctx: CommandContext): Promise<MandateOutcome> {
    const mandateId = dto.mandateId ?? deterministicId(ctx.commandId, 'fixed-line-mandate');
    return this.run(
      mandateId,
      {
        type: 'RequestFixedLineResale',
        mandateId,
        customerId: dto.customerId,
        subscriptionId: dto.subscriptionId,
        lineId: dto.lineId,
        service: dto.service,
        localLoopOperator: dto.localLoopOperator,
        access: dto.accessKind === 'existing_line' ? { kind: 'existing_line', ndi: dto.ndi as string } : { kind: 'new_line' },
        holder: dto.holderKind === 'customer' ? { kind: 'customer' } : { kind: 'third_party', holderAgreementDocumentId: dto.holderAgreementDocumentId as string },
        mandateDocumentId: dto.mandateDocumentId,
        signedOn: dto.signedOn,
        accessFacts: dto.accessFacts,
      },
      ctx,
      false,
    );
  }

  submit(mandateId: string, dto: OnDateDto, ctx: CommandContext) {
    return this.run(mandateId, { type: 'SubmitMandateToObl', submittedOn: dto.on }, ctx);
  }

  recordOblAcceptance(mandateId: string, dto: OblAcceptanceDto, ctx: CommandContext) {
    return this.run(mandateId, { type: 'RecordOblAcceptance', acceptedOn: dto.acceptedOn, number: dto.number }, ctx);
  }

  recordOblRejection(mandateId: string, dto: OblRejectionDto, ctx: CommandContext) {
    return this.run(mandateId, { type: 'RecordOblRejection', reason: dto.reason, rejectedOn: dto.rejectedOn }, ctx);
  }

  recordNdiChangeNotice(mandateId: string, dto: NdiChangeNoticeDto, ctx: CommandContext) {
    return this.run(mandateId, { type: 'RecordNdiChangeNotice', noticeId: dto.noticeId, newNdi: dto.newNdi, notifiedOn: dto.notifiedOn, effectiveOn: dto.effectiveOn }, ctx);
  }

  /** POR-08 due action: the NDI change on its effective date. */
  async runDue(action: DueAction): Promise<void> {
    const { streamId, command } = action.payload as { streamId: string; command: FixedLineMandateCommand };
    await this.run(streamId.slice('fixed-line-mandate-'.length), command, systemContext(action, `${action.kind} (POR-08)`));
  }

  private async run(mandateId: string, command: FixedLineMandateCommand, ctx: CommandContext, mustExist = true): Promise<MandateOutcome> {
    const stream = fixedLineMandateStream(mandateId);
    if (mustExist) {
      const { revision } = await this.repository.load(fixedLineMandateDecider, stream);
      if (revision < 0) throw new NotFoundError('mandate_not_found', `No fixed-line mandate ${mandateId}`, [{ field: 'mandateId', message: 'unknown mandate' }]);
    }
    const result = await this.repository.execute(fixedLineMandateDecider, stream, command, ctx, this.clock.now());
    const reasons = result.events.flatMap((e) => (e.type === 'FixedLineResaleRefused' ? (e.data.reasons as MandateOutcome['reasons']) ?? [] : []));
    return { mandateId, status: result.state.status, recorded: result.events.map((e) => e.type), ...(reasons.length ? { reasons } : {}) };
  }

  async get(mandateId: string): Promise<FixedLineMandateRow> {
    const row = await this.dataSource.getRepository(FixedLineMandateRow).findOneBy({ mandateId });
    if (!row) throw new NotFoundError('mandate_not_found', `No fixed-line mandate ${mandateId}`, [{ field: 'mandateId', message: 'unknown mandate' }]);
    return (await this.opened([row]))[0];
  }

  async list(filter: MandatesQuery): Promise<FixedLineMandateRow[]> {
    const qb = this.dataSource.getRepository(FixedLineMandateRow).createQueryBuilder('m');
    if (filter.status) qb.andWhere('m.status = :status', { status: filter.status });
    if (filter.customerId) qb.andWhere('m.customer_id = :c', { c: filter.customerId });
    const { limit, offset } = pageOf(filter);
    return this.opened(await qb.orderBy('m.next_ndi_change_on', 'ASC', 'NULLS LAST').addOrderBy('m.updated_at', 'DESC').addOrderBy('m.mandate_id').limit(limit).offset(offset).getMany());
  }

  /** The OBL's rejection text is kept sealed (PORTABILITY_FREE_TEXT): opened here, `[erased]` once shredded. */
  private opened(rows: FixedLineMandateRow[]): Promise<FixedLineMandateRow[]> {
    return this.repository.personalText.revealRows(rows, ['oblRejection']);
  }
}
