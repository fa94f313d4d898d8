import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, DomainError, NotFoundError, ValidationError, newId } from '@oksio/kernel';
import { type CommandContext, type DueAction, EventSourcedRepository, executeMultiStream, pageOf } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { PII_CATEGORIES } from '../crypto/pii';
import { ConsentsService } from '../consents/consents.service';
import { SubjectDataService, subjectDataToCsv, type SubjectData } from '../registry/subject-data.service';
import { RetentionService } from '../retention/retention.service';
import {
  requestDecider,
  requestStream,
  type Correction,
  type RequestCommand,
  type RequestOutcome,
  type RequestState,
} from './request.decider';
import { DataSubjectRequestRow } from './request.entities';
import type { ExtendDeadlineDto, FulfilRequestDto, ReceiveRequestDto, RefuseRequestDto } from './requests.dto';

export interface RequestFilter {
  subjectId?: string | null;
  status?: string | null;
  overdue?: boolean | null;
  limit?: number | null;
  offset?: number | null;
}

export type RequestExport = { requestId: string; requestType: string; format: 'json'; data: SubjectData } | { format: 'csv'; csv: string };

/**
 * Data-subject requests (PRV-04): receipt with the one-month deadline, extension, exports
 * (JSON/CSV across contexts), fulfilment of each right through the retention and consent
 * services, refusal, and the overdue flag set by the scheduler.
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly retention: RetentionService,
    private readonly consents: ConsentsService,
    private readonly subjectData: SubjectDataService,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async receive(dto: ReceiveRequestDto, ctx: CommandContext): Promise<{ requestId: string; dueAt: string }> {
    const requestId = dto.requestId ?? newId();
    const now = this.clock.now();
    // The corrected values are personal data: encrypted under the subject's key of their category.
    const corrections: Correction[] | null = dto.corrections
      ? await Promise.all(
          dto.corrections.map(async (c) => ({
            category: c.category,
            field: c.field,
            value: (await this.vault.protect(dto.subjectId, c.category, c.value)) as unknown as Record<string, unknown>,
          })),
        )
      : null;
    const result = await this.execute(
      requestId,
      {
        type: 'ReceiveRequest',
        requestId,
        subjectId: dto.subjectId,
        requestType: dto.type,
        channel: dto.channel,
        receivedAt: dto.receivedAt ?? now.toISOString(),
        categories: dto.categories ?? null,
        corrections,
      },
      ctx,
      now,
    );
    return { requestId, dueAt: result.state.dueAt! };
  }

  async list(filter: RequestFilter): Promise<DataSubjectRequestRow[]> {
    const { limit, offset } = pageOf(filter);
    const qb = this.dataSource.getRepository(DataSubjectRequestRow).createQueryBuilder('r').orderBy('r.due_at', 'ASC').addOrderBy('r.request_id').limit(limit).offset(offset);
    if (filter.subjectId) qb.andWhere('r.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    // GraphQL passes an omitted nullable argument as null: no filter, not "overdue IS NULL" (nothing).
    if (filter.overdue !== undefined && filter.overdue !== null) qb.andWhere('r.overdue = :overdue', { overdue: filter.overdue });
    return this.opened(await qb.getMany());
  }

  async get(requestId: string): Promise<DataSubjectRequestRow> {
    const row = await this.dataSource.getRepository(DataSubjectRequestRow).findOneBy({ requestId });
    if (!row) throw notFound(requestId);
    return (await this.opened([row]))[0];
  }

  /** The rows with their sealed reasons opened (`[erased]` once the subject's key is shredded). */
  private opened(rows: DataSubjectRequestRow[]): Promise<DataSubjectRequestRow[]> {
    return this.repository.personalText.revealRows(rows, ['extensionReason', 'refusalReason']);
  }

  async extend(requestId: string, dto: ExtendDeadlineDto, ctx: CommandContext): Promise<{ requestId: string; dueAt: string }> {
    await this.requireRequest(requestId);
    const result = await this.execute(requestId, { type: 'ExtendDeadline', months: dto.months, reason: dto.reason }, ctx, this.clock.now());
    return { requestId, dueAt: result.state.dueAt! };
  }

  /**
   * The access/portability export: every context's data about the subject (contributors), the
   * events of its streams decrypted for that subject only; archived data included (the right of
   * access covers it) and that archive read recorded with the request as its reason.
   */
  async export(requestId: string, format: string | undefined, ctx: CommandContext): Promise<RequestExport> {
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw new ValidationError('validation_failed', 'format must be json or csv', [{ field: 'format', rule: 'PRV-04', message: 'json or csv' }]);
    }
    const state = await this.requireRequest(requestId);
    if (state.requestType !== 'access' && state.requestType !== 'portability') {
      throw new DomainError('not_an_export_request', `A ${state.requestType} request is not answered with an export`, 'PRV-04', 'requestId');
    }
    if (state.status !== 'open') throw new DomainError('request_closed', `The request is already ${state.status}`, 'PRV-04', 'requestId');
    const subjectId = state.subjectId!;
    const now = this.clock.now();
    const archived = await this.retention.outOfUse(subjectId, now);
    if (archived.length > 0) await this.retention.recordArchiveReadForRequest(subjectId, requestId, archived, ctx);
    const data = await this.subjectData.collect(subjectId, now);
    if (format === 'csv') return { format: 'csv', csv: subjectDataToCsv(data) };
    return { requestId, requestType: state.requestType, format: 'json', data };
  }

  /**
   * PRV-04: the right exercised (rectification, objection, restriction, erasure on the subject's
   * streams) and the request answered are one multi-stream command (docs/adr/0008): both decided,
   * then appended together — a request refused or answered meanwhile leaves the subject's data as
   * it was. Keys are destroyed (erasure) only once the command is appended.
   */
  async fulfil(requestId: string, dto: FulfilRequestDto, ctx: CommandContext): Promise<{ requestId: string; outcome: RequestOutcome; late: boolean }> {
    const state = await this.requireRequest(requestId);
    if (state.status !== 'open') throw new DomainError('request_closed', `The request is already ${state.status}`, 'PRV-04', 'requestId');
    const subjectId = state.subjectId!;
    const categories = state.categories ?? [...PII_CATEGORIES];
    if ((state.requestType === 'access' || state.requestType === 'portability') && !dto.format) {
      throw new ValidationError('validation_failed', 'An access or portability answer states the export format', [{ field: 'format', rule: 'PRV-04', message: 'json or csv' }]);
    }
    let afterAppend: () => Promise<void> = async () => undefined;
    const answer = await executeMultiStream(this.repository, () => this.clock.now(), async (command) => {
      let outcome: RequestOutcome;
      switch (state.requestType!) {
        case 'access':
        case 'portability':
          outcome = { type: state.requestType!, format: dto.format } as RequestOutcome;
          break;
        case 'rectification':
          await this.retention.recordRectification(command, subjectId, requestId, state.corrections!, ctx);
          outcome = { type: 'rectification', rectified: state.corrections!.map((c) => ({ category: c.category, field: c.field })) };
          break;
        case 'objection':
          await this.consents.object(command, subjectId, requestId, state.channel!, ctx);
          outcome = { type: 'objection', scope: 'prospecting' };
          break;
        case 'restriction':
          await this.retention.restrict(command, subjectId, requestId, categories, `data-subject request ${requestId}`, ctx);
          outcome = { type: 'restriction', restricted: categories };
          break;
        case 'erasure': {
          const { purge, ...erasure } = await this.retention.erase(command, subjectId, requestId, categories, ctx);
          afterAppend = purge;
          outcome = { type: 'erasure', ...erasure };
          break;
        }
      }
      const decided = await command.decide(requestDecider, requestStream(requestId), { type: 'FulfilRequest', outcome }, ctx);
      const fulfilled = decided.events.find((e) => e.type === 'DataSubjectRequestFulfilled');
      return { requestId, outcome, late: Boolean(fulfilled?.data.late) };
    });
    await afterAppend();
    return answer;
  }

  async refuse(requestId: string, dto: RefuseRequestDto, ctx: CommandContext): Promise<{ requestId: string; status: string }> {
    await this.requireRequest(requestId);
    await this.execute(requestId, { type: 'RefuseRequest', reason: dto.reason }, ctx, this.clock.now());
    return { requestId, status: 'refused' };
  }

  /** Due-action handler of `privacy.dsr-overdue`. */
  async markOverdue(action: DueAction): Promise<void> {
    const { requestId } = action.payload as { requestId: string };
    const ctx: CommandContext = {
      actor: { id: 'privacy-requests', role: 'system' },
      correlationId: action.commandId,
      causationId: null,
      commandId: action.commandId,
      reason: 'one-month answer deadline passed (PRV-04)',
    };
    const { state } = await this.repository.load(requestDecider, requestStream(requestId));
    // Answered in the meantime (the cancel may not be projected yet): nothing to flag.
    if (state.status !== 'open') return;
    await this.execute(requestId, { type: 'MarkOverdue' }, ctx, this.clock.now());
  }

  private async requireRequest(requestId: string): Promise<RequestState> {
    const { state } = await this.repository.load(requestDecider, requestStream(requestId));
    if (state.status === 'none') throw notFound(requestId);
    return state;
  }

  private execute(requestId: string, command: RequestCommand, ctx: CommandContext, now: Date) {
    return this.repository.execute(requestDecider, requestStream(requestId), command, ctx, now);
  }
}

function notFound(requestId: string): NotFoundError {
  return new NotFoundError('request_not_found', `No data-subject request ${requestId}`, [{ field: 'requestId', message: 'unknown request' }]);
}
