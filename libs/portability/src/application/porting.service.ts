import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, DomainError, NotFoundError, PlatformError, deterministicId } from '@oksio/kernel';
import { type CommandContext, type DueAction, EventSourcedRepository, executeMultiStream, type MultiStreamCommand, checkPrecondition, pageOf, recordReached } from '@oksio/platform';
import { PiiVault } from '@oksio/privacy';
import { bindingCommitmentLastDay, subscriptionDecider, subscriptionStream, type SubscriptionState } from '@oksio/subscription';
import {
  localDateOf,
  mobileRioStream,
  numberRegistryDecider,
  numberStream,
  parseMobileNumber,
  portingRequestDecider,
  portingStream,
  rioRequestDecider,
  validateRio,
  type HolderDeclaration,
  type NumberRegistryCommand,
  type PortingCommand,
  type PortingEvent,
  type PortingState,
} from '../domain';
import type {
  CheckEligibilityDto,
  ConfirmPortOutDto,
  DocumentDto,
  DonorRefusalDto,
  InboundPortingDto,
  NewNumberDto,
  PortOutDto,
  PortingFailureDto,
  PortingFormDto,
  PreviousContractEndDto,
  ProvideRioDto,
  ReasonDto,
  ServiceRestoredDto,
  AnsweredOnDto,
  MandateDocumentDto,
  ExecutePortingDto,
} from './dto';
import type { PortingQueueQuery } from './queries';
import { NumberRow, PortingRequestRow } from '../projections/entities';
import { executeDecidingAgain, followUp, oksioOperatorCode, systemContext } from './streams';
import { lineFacts } from './subscription-line-facts';

export interface PortingOutcome {
  portingId: string;
  status: string;
  /** Types of the events this command recorded on the case (empty for a no-op; a replay: the first run's). */
  recorded: string[];
  reasons?: Array<{ code: string; rule: string; message: string }>;
}

/** What a porting command needs besides the porting command itself, for its other streams. */
interface CommandInput {
  /** The number's reservation, made when the command opens the case (POR-03). */
  reserve?: NumberRegistryCommand & { msisdn: string };
  /** POR-06: the SIM serving a ported-in number (AssignNumber), when not given with the request. */
  simNumber?: string;
}

export interface PortingView extends PortingRequestRow {
  newNumber: string | null;
}

/** POR-07: a RIO given over the API is checked at the door; a wrong one is refused (422) with its reason. */
function requireValidRio(rio: string, msisdn: string): string {
  const check = validateRio(rio, msisdn);
  if (!check.valid) throw new DomainError('invalid_rio', `${check.message} [${check.reason}]`, 'POR-07', 'rio');
  return check.rio;
}

/**
 * Application service of mobile number portability (POR-01…07, POR-09, SUB-15), shared by REST and
 * GraphQL. Each command runs the porting decider on `porting-<id>` and, in the same multi-stream
 * command (docs/adr/0008), the deciders of what its events imply elsewhere, with command ids
 * derived from the cause: the number registry (`msisdn-<digits>`: reservation, owner) and the
 * Subscription context (`subscription-<id>`: line ended by a port-out, SUB-15 line info). All are
 * decided before anything is appended, and appended together: a refusal anywhere records nothing.
 */
@Injectable()
export class PortingService {
  private readonly logger = new Logger('Portability');

  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private now(): Date {
    return this.clock.now();
  }

  // ---- inbound -----------------------------------------------------------------------------------

  /**
   * POR-01/02/03/07: a request to keep a number. The request is checked in full (number, RIO,
   * holder, subscription line), the case decided and the number's reservation decided in the
   * registry (POR-03: at most one pending request per number, decided on the number's stream with
   * its revision, so of two concurrent requests exactly one passes); both are appended together.
   */
  async requestInbound(dto: InboundPortingDto, ctx: CommandContext): Promise<PortingOutcome> {
    const portingId = dto.portingId ?? deterministicId(ctx.commandId, 'porting');
    const msisdn = parseMobileNumber(dto.msisdn, 'msisdn').e164;
    const rio = dto.rio ? requireValidRio(dto.rio, msisdn) : null;
    const sub = await this.repository.load(subscriptionDecider, subscriptionStream(dto.subscriptionId));
    const facts = lineFacts(sub.state as SubscriptionState, dto.subscriptionId, dto.lineId);
    if (facts.customerId !== dto.customerId) {
      throw new DomainError('customer_mismatch', `Subscription ${dto.subscriptionId} belongs to another customer`, 'POR-03', 'customerId');
    }
    const contractSignedOn = dto.contractSignedOn ?? facts.signedOn;
    if (!contractSignedOn) {
      throw new DomainError('contract_signed_on_required', 'The subscription is not signed yet: give the signature date of the mobile quote', 'POR-01', 'contractSignedOn');
    }
    const holder = await this.holderDeclaration(portingId, dto);
    const command: PortingCommand = {
      type: 'RequestInboundPorting',
      portingId,
      customerId: dto.customerId,
      subscriptionId: dto.subscriptionId,
      lineId: dto.lineId,
      msisdn,
      holder,
      contractSignedOn,
      rio,
    };
    // The case is opened and the number reserved together (one multi-stream command); an existing
    // case: a replay of this command returns its result, another command is refused (porting_exists).
    return this.run(portingId, command, ctx, {
      reserve: { type: 'ReserveForInboundPorting', msisdn, portingId, customerId: dto.customerId, subscriptionId: dto.subscriptionId, lineId: dto.lineId, simNumber: dto.simNumber ?? null },
    });
  }

  /** A third-party holder's identity is personal data: encrypted under the holder's own key (PRV-01). */
  private async holderDeclaration(portingId: string, dto: InboundPortingDto): Promise<HolderDeclaration> {
    if (dto.holder.kind === 'customer') return { kind: 'customer' };
    const holderReference = `porting-holder-${portingId}`;
    const identity = dto.holder.name
      ? ((await this.vault.protect(holderReference, 'identity_contact', { name: dto.holder.name, position: dto.holder.position ?? null })) as unknown as Record<string, unknown>)
      : null;
    return { kind: 'third_party', holderReference, mandateDocumentId: dto.holder.mandateDocumentId ?? null, identity };
  }

  async provideRio(portingId: string, dto: ProvideRioDto, ctx: CommandContext): Promise<PortingOutcome> {
    const state = await this.requireCase(portingId);
    const rio = requireValidRio(dto.rio, state.msisdn as string);
    return this.run(portingId, { type: 'ProvideRio', rio, receivedOn: dto.receivedOn }, ctx);
  }

  async receiveDocument(portingId: string, dto: DocumentDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'ReceiveDocument', kind: dto.kind, documentId: dto.documentId, receivedOn: dto.receivedOn }, ctx);
  }

  async receivePortingForm(portingId: string, dto: PortingFormDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'ReceivePortingForm', documentId: dto.documentId, portingDate: dto.portingDate, receivedOn: dto.receivedOn }, ctx);
  }

  async recordHolderMandate(portingId: string, dto: MandateDocumentDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordHolderMandate', mandateDocumentId: dto.mandateDocumentId }, ctx);
  }

  async recordPreviousContractEnd(portingId: string, dto: PreviousContractEndDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordPreviousContractEnd', endsOn: dto.endsOn, collectedOn: dto.collectedOn }, ctx);
  }

  /** POR-03: the other pending request comes from the number registry, the number's status from the PNM answer. */
  async checkEligibility(portingId: string, dto: CheckEligibilityDto, ctx: CommandContext): Promise<PortingOutcome> {
    const state = await this.requireCase(portingId);
    const number = await this.repository.load(numberRegistryDecider, numberStream(state.msisdn as string));
    const pending = number.state.pending;
    const otherPendingRequestForNumber = pending !== null && pending.portingId !== portingId;
    return this.run(portingId, { type: 'CheckEligibility', otherPendingRequestForNumber, numberStatusOnPortingDay: dto.numberStatusOnPortingDay }, ctx);
  }

  async recordDonorAcceptance(portingId: string, dto: AnsweredOnDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordDonorAcceptance', answeredOn: dto.answeredOn }, ctx);
  }

  async recordDonorRefusal(portingId: string, dto: DonorRefusalDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordDonorRefusal', reasonCode: dto.reasonCode, reason: dto.reason, answeredOn: dto.answeredOn }, ctx);
  }

  /**
   * POR-04: normally sent by the scheduler at the start of the porting date; available to operators
   * too. The port and the number's assignment to the line are one command: without a SIM (given
   * here or with the request) it is refused and nothing is recorded. On a case already ported in
   * whose number is still only reserved (recorded half-way before ADR 0008), it completes the
   * assignment.
   */
  async executePorting(portingId: string, dto: ExecutePortingDto, ctx: CommandContext): Promise<PortingOutcome> {
    const state = await this.requireCase(portingId);
    if (!state.portingDate) throw new DomainError('porting_date_unknown', 'No porting date is known yet', 'POR-05', 'portingDate');
    return this.run(portingId, { type: 'ExecutePorting', portingDate: state.portingDate, interruptionStartedAt: dto.interruptionStartedAt }, ctx, { simNumber: dto.simNumber });
  }

  async recordServiceRestored(portingId: string, dto: ServiceRestoredDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordServiceRestored', restoredAt: dto.restoredAt }, ctx);
  }

  async recordPortingFailure(portingId: string, dto: PortingFailureDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'RecordPortingFailure', cause: dto.cause, detail: dto.detail }, ctx);
  }

  /**
   * POR-01/03/05: after a fallback, the line is activated with a new number from OKSIO's ranges
   * (recorded in the number registry, linked to the porting case).
   */
  async assignNewNumber(portingId: string, dto: NewNumberDto, ctx: CommandContext): Promise<{ portingId: string; msisdn: string }> {
    const state = await this.requireCase(portingId);
    // If-Match addresses the case, which this command reads but does not change: checked as read.
    const { revision } = await this.repository.load(portingRequestDecider, portingStream(portingId));
    checkPrecondition(ctx, portingStream(portingId), revision);
    recordReached(ctx, revision);
    if (state.status !== 'replaced_by_new_number') {
      throw new DomainError('porting_not_fallen_back', `Porting ${portingId} is ${state.status}: a new number is assigned only after a fallback`, 'POR-03', 'portingId');
    }
    const msisdn = parseMobileNumber(dto.msisdn, 'msisdn').e164;
    if (msisdn === state.msisdn) throw new DomainError('same_number', 'The new number must differ from the number that could not be ported', 'POR-03', 'msisdn');
    await executeDecidingAgain(
      this.repository,
      numberRegistryDecider,
      numberStream(msisdn),
      {
        type: 'AssignNumber',
        msisdn,
        customerId: state.customerId as string,
        subscriptionId: state.subscriptionId as string,
        lineId: state.lineId as string,
        simNumber: dto.simNumber,
        source: 'oksio_range',
        portingId,
      },
      followUp(ctx, 'new-number', portingId),
      () => this.now(),
    );
    return { portingId, msisdn };
  }

  // ---- outbound ----------------------------------------------------------------------------------

  /**
   * POR-06: the recipient operator's port-out request for one of OKSIO's numbers. OKSIO, as donor,
   * checks the RIO (its own, qualifier E, matching key, the one it issued); a wrong RIO is recorded
   * as a reasoned refusal. An accepted request reserves the number (POR-03: one pending porting).
   */
  async notifyPortOut(dto: PortOutDto, ctx: CommandContext): Promise<PortingOutcome> {
    const portingId = dto.portingId ?? deterministicId(ctx.commandId, 'port-out');
    const msisdn = parseMobileNumber(dto.msisdn, 'msisdn').e164;
    const number = await this.repository.load(numberRegistryDecider, numberStream(msisdn));
    const owner = number.state.owner;
    if (!owner) throw new DomainError('number_not_served_by_oksio', `${msisdn} is not an active OKSIO number`, 'POR-06', 'msisdn');
    const issued = await this.repository.load(rioRequestDecider, mobileRioStream(msisdn));
    const command: PortingCommand = {
      type: 'NotifyPortOut',
      portingId,
      customerId: owner.customerId,
      subscriptionId: owner.subscriptionId,
      lineId: owner.lineId,
      msisdn,
      rio: dto.rio,
      oksioOperatorCode: oksioOperatorCode(),
      issuedRio: issued.state.rio,
      recipientOperatorCode: dto.recipientOperatorCode,
      plannedPortingDate: dto.plannedPortingDate,
    };
    // A refused request reserves nothing (its refusal is recorded on the case alone).
    return this.run(portingId, command, ctx, { reserve: { type: 'ReserveForPortOut', msisdn, portingId } });
  }

  /**
   * POR-06: the PNM confirms the port on `portedOn`: the OKSIO contract for that number ends that
   * day; inside the commitment period in force, Billing gets the early-termination case (SUB-07).
   */
  async confirmPortOut(portingId: string, dto: ConfirmPortOutDto, ctx: CommandContext): Promise<PortingOutcome> {
    const state = await this.requireCase(portingId);
    const sub = await this.repository.load(subscriptionDecider, subscriptionStream(state.subscriptionId as string));
    const commitmentPeriodLastDay = bindingCommitmentLastDay(sub.state as SubscriptionState, dto.portedOn);
    return this.run(portingId, { type: 'ConfirmPortOut', portedOn: dto.portedOn, commitmentPeriodLastDay }, ctx);
  }

  async cancelPortOut(portingId: string, dto: ReasonDto, ctx: CommandContext): Promise<PortingOutcome> {
    await this.requireCase(portingId);
    return this.run(portingId, { type: 'CancelPortOut', reason: dto.reason }, ctx);
  }

  // ---- scheduler ---------------------------------------------------------------------------------

  /** Due-action handler of every porting kind: the command listed by `portingDueDates`, with the action's command id. */
  async runDue(action: DueAction): Promise<void> {
    const { streamId, command, rule } = action.payload as { streamId: string; command: PortingCommand; rule: string };
    const portingId = streamId.slice('porting-'.length);
    await this.run(portingId, command, systemContext(action, `${action.kind} (${rule})`));
  }

  // ---- running a command and its consequences ----------------------------------------------------

  private async requireCase(portingId: string): Promise<PortingState> {
    const { state, revision } = await this.repository.load(portingRequestDecider, portingStream(portingId));
    if (revision < 0) throw new NotFoundError('porting_not_found', `No porting ${portingId}`, [{ field: 'portingId', message: 'unknown porting request' }]);
    return state;
  }

  /**
   * One porting command and everything it implies elsewhere, as one multi-stream command (ADR 0008):
   * the porting decider, then every consequence's decider (number registry, Subscription context),
   * all decided before anything is appended, then appended together. A refusal anywhere records
   * nothing. Each consequence carries a command id derived from the command's, so a replay finds it
   * recorded; a replay also stages what an older, half-written run left out (appended only then).
   */
  private async run(portingId: string, command: PortingCommand, ctx: CommandContext, input: CommandInput = {}): Promise<PortingOutcome> {
    return executeMultiStream(this.repository, () => this.now(), async (unit) => {
      const porting = await unit.decide(portingRequestDecider, portingStream(portingId), command, ctx);
      const events = porting.events as PortingEvent[];
      const opened = porting.revision < 0 && events.length > 0 && !porting.duplicateCommand;
      if (input.reserve && opened && !events.some((e) => e.type === 'PortOutRefused')) {
        await unit.decide(numberRegistryDecider, numberStream(input.reserve.msisdn), input.reserve, followUp(ctx, 'reserve', portingId));
      }
      await this.stageConsequences(unit, porting.state, events.length > 0 ? events : await this.unfinished(porting.state), ctx, input);
      // A replay answers as the first run did: the events that run recorded.
      const reasons = events.flatMap((e) => (e.type === 'PortingReplacedByNewNumber' ? e.data.reasons : []));
      return { portingId, status: porting.state.status, recorded: events.map((e) => e.type), ...(reasons.length ? { reasons } : {}) };
    });
  }

  /**
   * A case whose port is recorded but whose consequences are not (a run that stopped half-way
   * before ADR 0008: the number still reserved for it, the line not ended): the events whose
   * consequences are still owed, so that the next command on the case completes them.
   */
  private async unfinished(state: PortingState): Promise<PortingEvent[]> {
    const portingId = state.portingId as string;
    if (state.status === 'ported_in' && state.portedIn) {
      const number = await this.repository.load(numberRegistryDecider, numberStream(state.msisdn as string));
      if (number.state.pending?.portingId !== portingId || number.state.pending.direction !== 'inbound') return [];
      const { events } = await this.repository.load(portingRequestDecider, portingStream(portingId));
      return events.filter((e) => e.type === 'NumberPortedIn').map((e) => ({ type: e.type, data: e.data }) as PortingEvent);
    }
    if (state.status === 'ported_out' && state.portOut?.portedOn) {
      const number = await this.repository.load(numberRegistryDecider, numberStream(state.msisdn as string));
      const sub = (await this.repository.load(subscriptionDecider, subscriptionStream(state.subscriptionId as string))).state as SubscriptionState;
      const lineEnded = sub.items[state.lineId as string]?.status === 'terminated';
      if (number.state.pending?.portingId !== portingId && lineEnded) return [];
      const { events } = await this.repository.load(portingRequestDecider, portingStream(portingId));
      return events.filter((e) => e.type === 'LineContractTerminatedByPortOut').map((e) => ({ type: e.type, data: e.data }) as PortingEvent);
    }
    return [];
  }

  /** Decides what the porting events imply on the other streams (staged in `unit`, appended with them). */
  private async stageConsequences(unit: MultiStreamCommand, state: PortingState, events: PortingEvent[], ctx: CommandContext, input: CommandInput): Promise<void> {
    let lineInfo = false;
    for (const event of events) {
      const step = (name: string) => followUp(ctx, name, event.type, event.data.portingId);
      switch (event.type) {
        case 'PortingReplacedByNewNumber':
          await unit.decide(
            numberRegistryDecider,
            numberStream(event.data.msisdn),
            { type: 'ReleaseReservation', portingId: event.data.portingId, reason: `${event.data.cause} (${event.data.rule})` },
            step('release'),
          );
          break;
        case 'PortOutRefused':
        case 'PortOutCancelled':
          await unit.decide(numberRegistryDecider, numberStream(state.msisdn as string), { type: 'ReleaseReservation', portingId: event.data.portingId, reason: event.type }, step('release'));
          break;
        case 'NumberPortedIn':
          await unit.decide(
            numberRegistryDecider,
            numberStream(event.data.msisdn),
            {
              type: 'AssignNumber',
              msisdn: event.data.msisdn,
              customerId: state.customerId as string,
              subscriptionId: event.data.subscriptionId,
              lineId: event.data.lineId,
              // POR-06: the SIM given now, else the one given with the request (refused without either).
              simNumber: input.simNumber,
              source: 'ported_in',
              portingId: event.data.portingId,
              assignedOn: event.data.portedOn,
            },
            step('assign'),
          );
          break;
        case 'LineContractTerminatedByPortOut':
          await unit.decide(
            numberRegistryDecider,
            numberStream(event.data.msisdn),
            { type: 'RecordPortedOut', portingId: event.data.portingId, portedOn: event.data.effectiveOn },
            step('ported-out'),
          );
          // POR-06: the Subscription context ends the line on the actual porting date.
          await unit.decide(
            subscriptionDecider,
            subscriptionStream(event.data.subscriptionId),
            { type: 'TerminateLineByPortOut', lineId: event.data.lineId, portingId: event.data.portingId, portedOn: event.data.effectiveOn },
            step('terminate-line'),
          );
          break;
        case 'PortingRioReceived':
        case 'PreviousContractEndRecorded':
          if (!lineInfo) await this.feedLineInfo(unit, state, step('line-info'));
          lineInfo = true;
          break;
        default:
          break;
      }
    }
  }

  /**
   * SUB-15: once the porting case holds both the RIO and the previous contract's end date, they are
   * the line's info in the Subscription context too (firm and final there): its own SUB-15
   * reminder stops. Skipped when the line already has them or the contract is not signed yet, and
   * when the Subscription context refuses them (logged): the porting command itself stands.
   */
  private async feedLineInfo(unit: MultiStreamCommand, state: PortingState, ctx: CommandContext): Promise<void> {
    if (!state.rio || !state.previousContractEndsOn || !state.subscriptionId || !state.lineId) return;
    const stream = subscriptionStream(state.subscriptionId);
    const sub = (await this.repository.load(subscriptionDecider, stream)).state as SubscriptionState;
    const item = sub.items[state.lineId];
    if (!item || item.lineInfo || (sub.phase !== 'signed' && sub.phase !== 'active')) return;
    try {
      // A refused step stages nothing: the decision is made here, before the command appends.
      await unit.decide(subscriptionDecider, stream, { type: 'RecordLineInfo', lineId: state.lineId, rio: state.rio, previousContractEndsOn: state.previousContractEndsOn }, ctx);
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      this.logger.warn(`SUB-15 line info of ${state.subscriptionId}/${state.lineId} not recorded: ${error.message}`);
    }
  }

  // ---- reading -----------------------------------------------------------------------------------

  async get(portingId: string): Promise<PortingView> {
    const row = await this.dataSource.getRepository(PortingRequestRow).findOneBy({ portingId });
    if (!row) throw new NotFoundError('porting_not_found', `No porting ${portingId}`, [{ field: 'portingId', message: 'unknown porting request' }]);
    const assigned = await this.dataSource.getRepository(NumberRow).findOneBy({ portingId, source: 'oksio_range' });
    return { ...row, newNumber: assigned?.msisdn ?? null };
  }

  /** The porting queue: by queue (documents missing, ready, scheduled, ported, new number…) and next deadline. */
  async queue(filter: PortingQueueQuery): Promise<PortingRequestRow[]> {
    const qb = this.dataSource.getRepository(PortingRequestRow).createQueryBuilder('p');
    if (filter.queue) qb.andWhere('p.queue = :queue', { queue: filter.queue });
    if (filter.direction) qb.andWhere('p.direction = :direction', { direction: filter.direction });
    if (filter.msisdn) qb.andWhere('p.msisdn = :msisdn', { msisdn: parseMobileNumber(filter.msisdn, 'msisdn').e164 });
    if (filter.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.deadlineBefore) qb.andWhere('p.next_deadline_on <= :before', { before: filter.deadlineBefore });
    const { limit, offset } = pageOf(filter);
    return qb.orderBy('p.next_deadline_on', 'ASC', 'NULLS LAST').addOrderBy('p.updated_at', 'DESC').addOrderBy('p.porting_id').limit(limit).offset(offset).getMany();
  }

  /** Today's date in Paris on the application clock (for views). */
  today(): string {
    return localDateOf(this.now());
  }
}
