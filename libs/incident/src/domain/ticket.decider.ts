import { DomainError, Money, type Decider } from '@oksio/kernel';
import { SERVICE_TYPES, type ContactChannel, type MinorSymptom, type TicketCommand, type UnjustifiedFinding } from './commands';
import type { TicketEvent } from './events';
import { breached, elapsedMs, freeze, isFrozen, restart, resume, slaDeadline, startClock, stop, type InterruptionClock } from './interruption-clock';
import { applyMonthlyCap, computePenalty, isSlaExclusionCause } from './penalties';
import { parseTicketReference } from './reference';
import { initialTicketState, slaApplies, type TicketState } from './state';
import { supportReceptionInstant } from './support-hours';
import { parseAmount, resolveIncidentTerms, type IncidentTerms } from './terms';
import { iso, ms, parisMonth, parisYear, parseInstant, plusParisDays } from './time';

/**
 * The incident ticket aggregate, stream `ticket-<ticketId>` (CG 9, CP Data 10, CP Mobile 11).
 * Every refusal is a DomainError carrying the rule ID and, when one input is to blame, its field.
 * Commands from the scheduler (RecordSlaBreach, AutoCloseTicket) return no events, rather than an
 * error, when the state moved on and made them pointless, so a stale due action settles quietly.
 */
export const ticketStream = (ticketId: string) => `ticket-${ticketId}`;

export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState> = {
  initialState: initialTicketState,

  decide(command, state, now) {
    switch (command.type) {
      case 'QualifyCall':
        return qualifyCall(command, state, now);
      case 'OpenTicket':
        return openTicket(command, state, now);
      case 'ClassifyIncident':
        return classifyIncident(command, state, now);
      case 'RequestSiteAccess': {
        const s = requireOpen(state);
        if (isFrozen(s.clock)) throw new DomainError('clock_already_frozen', 'Site access was already requested and not yet obtained', 'INC-06');
        if (!s.impactedSiteIds.includes(command.siteId)) {
          throw new DomainError('unknown_site', `Site ${String(command.siteId)} is not among the ticket's impacted sites`, 'INC-06', 'siteId');
        }
        const at = factInstant(command.at, s.clock, now, 'INC-06');
        return [{ type: 'InterruptionClockFrozen', data: { ticketId: s.ticketId, reason: 'site_access_requested', siteId: command.siteId, frozenAt: iso(at) } }];
      }
      case 'RecordSiteAccessObtained': {
        const s = requireOpen(state);
        if (!isFrozen(s.clock)) throw new DomainError('clock_not_frozen', 'No site access request is pending', 'INC-06');
        const at = factInstant(command.at, s.clock, now, 'INC-06');
        return [{ type: 'InterruptionClockResumed', data: { ticketId: s.ticketId, reason: 'site_access_obtained', resumedAt: iso(at) } }];
      }
      case 'NotifyRestoration':
        return notifyRestoration(command, state, now);
      case 'RecordSlaBreach':
        return recordSlaBreach(command, state, now);
      case 'RecordSlaExclusion': {
        const s = requireOpened(state);
        if (!slaApplies(s)) throw noSla(s);
        if (!isSlaExclusionCause(command.cause)) throw new DomainError('invalid_exclusion_cause', `Unknown exclusion cause ${String(command.cause)}`, 'INC-14', 'cause');
        if (s.exclusion !== null) throw new DomainError('exclusion_already_recorded', `An exclusion (${s.exclusion}) is already recorded`, 'INC-14', 'cause');
        if (Money.fromJSON(s.penaltyGranted).isPositive()) {
          throw new DomainError('penalty_already_granted', 'A penalty was already granted for this ticket; an exclusion can no longer be recorded', 'INC-14');
        }
        return [{ type: 'SlaExclusionRecorded', data: { ticketId: s.ticketId, cause: command.cause, note: command.note ?? null, recordedAt: iso(now) } }];
      }
      case 'GrantSlaPenalty':
        return grantSlaPenalty(command, state, now);
      case 'DeclareTicketUnjustified':
        return declareUnjustified(command, state, now);
      case 'RequestExpertise': {
        const s = requireOpen(state);
        // The expertise is asked of the incumbent (Orange), which only runs the local loop of these services.
        if (s.serviceType !== 'DATA' && s.serviceType !== 'FIXED_VGA' && s.serviceType !== 'FIXED_SIP') {
          throw new DomainError('expertise_not_applicable', `No incumbent expertise exists for ${s.serviceType}`, 'INC-08', 'serviceType');
        }
        requireText(command.requestedByContactId, 'requestedByContactId', 'INC-08');
        if (s.expertise === 'requested') throw new DomainError('expertise_already_requested', 'An expertise is already in progress', 'INC-08');
        return [{ type: 'IncumbentExpertiseRequested', data: { ticketId: s.ticketId, requestedByContactId: command.requestedByContactId, requestedAt: iso(now) } }];
      }
      case 'RecordExpertiseOutcome': {
        const s = requireOpened(state);
        if (s.expertise !== 'requested') throw new DomainError('no_expertise_requested', 'No expertise is in progress', 'INC-08');
        if (typeof command.justified !== 'boolean') throw new DomainError('invalid_outcome', 'justified must be true or false', 'INC-08', 'justified');
        const events: TicketEvent[] = [
          { type: 'IncumbentExpertiseConcluded', data: { ticketId: s.ticketId, justified: command.justified, note: command.note ?? null, concludedAt: iso(now) } },
        ];
        if (!command.justified) events.push(...fee(s, 'unjustified_expertise', now));
        return events;
      }
      case 'ConfirmResolution': {
        const s = requireResolved(state);
        requireText(command.contactId, 'contactId', 'INC-09');
        return [
          { type: 'ResolutionConfirmed', data: { ticketId: s.ticketId, contactId: command.contactId, confirmedAt: iso(now) } },
          { type: 'TicketClosed', data: { ticketId: s.ticketId, reference: s.reference, mode: 'client_confirmed', clientInformedVia: null, closedAt: iso(now) } },
        ];
      }
      case 'CloseTicket': {
        const s = requireResolved(state);
        if (!isChannel(command.clientInformedVia)) {
          throw new DomainError('client_not_informed', 'Closing needs the client informed by phone or e-mail', 'INC-09', 'clientInformedVia');
        }
        return [
          { type: 'TicketClosed', data: { ticketId: s.ticketId, reference: s.reference, mode: 'support', clientInformedVia: command.clientInformedVia, closedAt: iso(now) } },
        ];
      }
      case 'AutoCloseTicket':
        return autoClose(state, now);
      case 'ReopenTicket':
        return reopen(command, state, now);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CallQualified':
        return {
          ...state,
          status: 'qualified',
          ticketId: event.data.ticketId,
          customerId: event.data.customerId,
          callerContactId: event.data.callerContactId,
          impactedSiteIds: event.data.impactedSiteIds,
        };
      case 'TicketOpened': {
        const d = event.data;
        return {
          ...state,
          status: 'open',
          reference: d.reference,
          serviceType: d.serviceType,
          subscriptionId: d.subscriptionId,
          declaredByContactId: d.declaredByContactId,
          keepInformed: d.keepInformed,
          terms: d.terms,
          clock: startClock({ notifiedAt: d.notifiedAt, basis: d.terms.clockBasis, alsaceMoselle: d.terms.alsaceMoselle, commitment: d.terms.commitment }),
        };
      }
      case 'IncidentClassified':
        return { ...state, classification: event.data.classification };
      case 'InterruptionClockFrozen':
        return { ...state, clock: freeze(state.clock as InterruptionClock, event.data.frozenAt) };
      case 'InterruptionClockResumed':
        return { ...state, clock: resume(state.clock as InterruptionClock, event.data.resumedAt) };
      case 'RestorationNotified':
        return {
          ...state,
          status: 'resolved',
          resolution: { kind: 'restored', at: event.data.restoredAt },
          clock: stop(state.clock as InterruptionClock, event.data.restoredAt),
        };
      case 'SlaBreached':
        return { ...state, slaBreach: { deadline: event.data.deadline } };
      case 'SlaPenaltyComputed':
        return { ...state, penalty: { computed: event.data.amount, tierPercentage: event.data.tierPercentage, interruptionMs: event.data.interruptionMs } };
      case 'SlaExclusionRecorded':
        return { ...state, exclusion: event.data.cause };
      case 'SlaPenaltyGranted':
        return { ...state, penaltyGranted: Money.fromJSON(state.penaltyGranted).add(Money.fromJSON(event.data.amount)).toString() };
      case 'TicketFoundUnjustified':
        return {
          ...state,
          status: 'resolved',
          resolution: { kind: 'unjustified', at: event.data.foundAt, finding: event.data.finding },
          clock: stop(state.clock as InterruptionClock, event.data.foundAt),
        };
      case 'IncidentFeeCharged':
        return { ...state, feesCharged: [...state.feesCharged, event.data.fee] };
      case 'IncumbentExpertiseRequested':
        return { ...state, expertise: 'requested' };
      case 'IncumbentExpertiseConcluded':
        return { ...state, expertise: event.data.justified ? 'justified' : 'unjustified' };
      case 'TicketClosed':
        return { ...state, status: 'closed', closedAt: event.data.closedAt };
      case 'TicketReopened':
        return {
          ...state,
          status: 'open',
          resolution: null,
          closedAt: null,
          clock: restart(state.clock as InterruptionClock, event.data.reopenedAt),
        };
      case 'ResolutionConfirmed':
      case 'ClosureConfirmationEmailRequested':
        return state;
      default:
        return state;
    }
  },
};

// ---- command handlers --------------------------------------------------------------------------

type Cmd<T extends TicketCommand['type']> = Extract<TicketCommand, { type: T }>;

/** INC-02: identify the caller and check the authorisation; identify the impacted sites. */
function qualifyCall(c: Cmd<'QualifyCall'>, state: TicketState, now: Date): TicketEvent[] {
  if (state.status !== 'new') throw new DomainError('call_already_qualified', `Ticket ${state.ticketId} already exists`, 'INC-02', 'ticketId');
  requireText(c.ticketId, 'ticketId', 'INC-02');
  requireText(c.customerId, 'customerId', 'INC-02');
  requireText(c.callerContactId, 'callerContactId', 'INC-02');
  const caller = (c.authorisedCallers ?? []).find((a) => a.contactId === c.callerContactId);
  if (!caller) throw new DomainError('caller_unknown', 'The caller is neither a contact nor a delegate of the customer', 'INC-02', 'callerContactId');
  if (caller.authorisedForSupport !== true) {
    throw new DomainError('caller_not_authorised', 'The caller is not authorised to notify incidents for this customer', 'INC-02', 'callerContactId');
  }
  const sites = [...new Set(c.impactedSiteIds ?? [])];
  if (sites.length === 0) throw new DomainError('impacted_sites_required', 'At least one impacted site must be identified', 'INC-02', 'impactedSiteIds');
  const known = new Set(c.customerSiteIds ?? []);
  sites.forEach((site, i) => {
    if (!known.has(site)) throw new DomainError('unknown_site', `Site ${site} is not a site of the customer`, 'INC-02', `impactedSiteIds[${i}]`);
  });
  return [
    {
      type: 'CallQualified',
      data: { ticketId: c.ticketId, customerId: c.customerId, callerContactId: c.callerContactId, callerKind: caller.kind, impactedSiteIds: sites, qualifiedAt: iso(now) },
    },
  ];
}

/** INC-03, INC-04, INC-13, INC-01 (receivedAt), INC-10/16 (terms coherence). */
function openTicket(c: Cmd<'OpenTicket'>, state: TicketState, now: Date): TicketEvent[] {
  if (state.status === 'new') throw new DomainError('call_not_qualified', 'A ticket is opened only for a qualified call', 'INC-03');
  if (state.status !== 'qualified') throw new DomainError('ticket_already_open', `Ticket ${state.reference} is already open`, 'INC-03', 'reference');
  const notifiedAt = parseInstant(c.notifiedAt, 'notifiedAt', 'INC-13');
  if (notifiedAt.getTime() > now.getTime()) throw new DomainError('notification_in_future', 'The client notification cannot be in the future', 'INC-13', 'notifiedAt');
  const reference = parseTicketReference(c.reference);
  if (!reference) throw new DomainError('invalid_reference', 'The reference must look like INC-2026-000123', 'INC-03', 'reference');
  if (reference.year !== parisYear(notifiedAt) && reference.year !== parisYear(now)) {
    throw new DomainError('invalid_reference', `The reference year ${reference.year} is neither the year of the notification nor the current year`, 'INC-03', 'reference');
  }
  // INC-04: the information the client must give, each named when missing.
  requireText(c.declaredByContactId, 'declaredByContactId', 'INC-04');
  if (!(SERVICE_TYPES as readonly unknown[]).includes(c.serviceType)) {
    throw new DomainError('missing_ticket_information', `serviceType must be one of ${SERVICE_TYPES.join(', ')}`, 'INC-04', 'serviceType');
  }
  requireText(c.subscriptionId, 'subscriptionId', 'INC-04');
  requireText(c.description, 'description', 'INC-04');
  requireText(c.location, 'location', 'INC-04');
  requireText(c.consequences, 'consequences', 'INC-04');
  if (c.keepInformed !== undefined && c.keepInformed !== null && (typeof c.keepInformed !== 'object' || Array.isArray(c.keepInformed))) {
    throw new DomainError('missing_ticket_information', 'keepInformed must be the encrypted details of a person, or absent', 'INC-04', 'keepInformed');
  }
  const terms = resolveIncidentTerms(c.terms);
  checkTermsFitService(terms, c.serviceType);
  return [
    {
      type: 'TicketOpened',
      data: {
        ticketId: state.ticketId as string,
        reference: c.reference,
        customerId: state.customerId as string,
        notifiedAt: iso(notifiedAt),
        receivedAt: iso(supportReceptionInstant(notifiedAt, terms.alsaceMoselle)),
        openedAt: iso(now),
        declaredByContactId: c.declaredByContactId,
        serviceType: c.serviceType,
        subscriptionId: c.subscriptionId,
        impactedSiteIds: state.impactedSiteIds,
        description: c.description.trim(),
        location: c.location.trim(),
        consequences: c.consequences.trim(),
        keepInformed: c.keepInformed ?? null,
        terms,
      },
    },
  ];
}

/** Only DATA guaranteed links carry a restoration commitment; MOBILE never does (INC-16). */
export function checkTermsFitService(terms: IncidentTerms, serviceType: string): void {
  if (!terms.guaranteedLink) return;
  if (serviceType === 'MOBILE') {
    throw new DomainError('no_restoration_commitment', 'MOBILE has no restoration commitment (best effort, CP Mobile 11)', 'INC-16', 'terms.guaranteedLink');
  }
  if (serviceType !== 'DATA') {
    throw new DomainError('no_restoration_commitment', 'Only DATA links can be guaranteed links', 'INC-10', 'terms.guaranteedLink');
  }
  if (terms.monthlyFee === null) {
    throw new DomainError('monthly_fee_required', 'A guaranteed link needs its monthly fee HT (penalty base and cap)', 'INC-11', 'terms.monthlyFee');
  }
}

const MINOR_SYMPTOMS: readonly MinorSymptom[] = ['micro_cuts', 'slow_responses', 'unreachable_destination', 'other'];

/** INC-05: total unavailability attributable to the network only → Interruption; else minor anomaly. */
function classifyIncident(c: Cmd<'ClassifyIncident'>, state: TicketState, now: Date): TicketEvent[] {
  const s = requireOpen(state);
  if (typeof c.totalUnavailability !== 'boolean') throw new DomainError('invalid_findings', 'totalUnavailability must be true or false', 'INC-05', 'totalUnavailability');
  if (typeof c.attributableToNetworkOnly !== 'boolean') {
    throw new DomainError('invalid_findings', 'attributableToNetworkOnly must be true or false', 'INC-05', 'attributableToNetworkOnly');
  }
  const symptom = c.minorSymptom ?? null;
  if (symptom !== null && !MINOR_SYMPTOMS.includes(symptom)) throw new DomainError('invalid_findings', `Unknown symptom ${String(symptom)}`, 'INC-05', 'minorSymptom');
  if (symptom !== null && c.totalUnavailability) {
    throw new DomainError('contradictory_findings', 'A total unavailability cannot also be a minor-impact symptom', 'INC-05', 'minorSymptom');
  }
  const classification = c.totalUnavailability && c.attributableToNetworkOnly ? 'interruption' : 'minor_anomaly';
  if (classification === s.classification) return [];
  return [
    {
      type: 'IncidentClassified',
      data: {
        ticketId: s.ticketId,
        classification,
        totalUnavailability: c.totalUnavailability,
        attributableToNetworkOnly: c.attributableToNetworkOnly,
        minorSymptom: symptom,
        slaApplies: slaApplies({ ...state, classification }),
        classifiedAt: iso(now),
      },
    },
  ];
}

/** INC-13: the clock stops; INC-10 breach noticed here if the scheduler has not yet; INC-11 computed. */
function notifyRestoration(c: Cmd<'NotifyRestoration'>, state: TicketState, now: Date): TicketEvent[] {
  const s = requireOpen(state);
  if (s.classification === null) {
    throw new DomainError('incident_not_classified', 'OKSIO must confirm whether this is an Interruption before closing the clock', 'INC-05', 'classification');
  }
  if (!isChannel(c.via)) throw new DomainError('invalid_channel', 'The restoration is notified by phone or e-mail', 'INC-13', 'via');
  const at = factInstant(c.at, s.clock, now, 'INC-13');
  const stopped = stop(s.clock, iso(at));
  const interruptionMs = elapsedMs(stopped, at);
  const events: TicketEvent[] = [
    { type: 'RestorationNotified', data: { ticketId: s.ticketId, reference: s.reference, via: c.via, restoredAt: iso(at), interruptionMs, clockBasis: stopped.basis } },
  ];
  if (!slaApplies(s)) return events;
  if (s.slaBreach === null && breached(stopped, at)) {
    events.push({
      type: 'SlaBreached',
      data: { ticketId: s.ticketId, reference: s.reference, subscriptionId: s.subscriptionId, deadline: iso(slaDeadline(stopped) as Date), recordedAt: iso(now) },
    });
  }
  const fee = Money.fromJSON(s.terms.monthlyFee as string);
  const penalty = computePenalty(interruptionMs, fee, s.terms.penaltyTiers);
  events.push({
    type: 'SlaPenaltyComputed',
    data: {
      ticketId: s.ticketId,
      subscriptionId: s.subscriptionId,
      billingMonth: billingMonth(s),
      interruptionMs,
      clockBasis: stopped.basis,
      tierPercentage: penalty.percentage,
      monthlyFee: fee.toString(),
      amount: penalty.amount.toString(),
    },
  });
  return events;
}

/**
 * From the scheduler at the deadline of `dueDates`. Exactly once per ticket: a second one gives no
 * events. Refused while the deadline is not reached (or unknown because the clock is frozen).
 * The deadline is recomputed from the state; the command's copy only says which due action fired.
 */
function recordSlaBreach(c: Cmd<'RecordSlaBreach'>, state: TicketState, now: Date): TicketEvent[] {
  requireOpened(state);
  parseInstant(c.deadline, 'deadline', 'INC-10');
  if (state.slaBreach !== null) return [];
  if (!slaApplies(state)) return [];
  const s = state as OpenedState;
  const deadline = slaDeadline(s.clock);
  if (deadline === null) throw new DomainError('sla_deadline_not_reached', 'The clock is frozen (site access pending): no deadline has passed', 'INC-10', 'deadline');
  if (!breached(s.clock, now)) {
    if (s.clock.stoppedAt !== null) return []; // restored in time: the due action is stale
    throw new DomainError('sla_deadline_not_reached', `The restoration deadline is ${iso(deadline)}`, 'INC-10', 'deadline');
  }
  return [{ type: 'SlaBreached', data: { ticketId: s.ticketId, reference: s.reference, subscriptionId: s.subscriptionId, deadline: iso(deadline), recordedAt: iso(now) } }];
}

/**
 * INC-15: granted on the client's request, without other formality, for the next invoice
 * (BIL-11). INC-12: capped per link and billing month at one monthly fee; INC-14: excluded causes.
 */
function grantSlaPenalty(c: Cmd<'GrantSlaPenalty'>, state: TicketState, now: Date): TicketEvent[] {
  const s = requireOpened(state);
  if (!slaApplies(s)) throw noSla(s);
  if (s.resolution?.kind !== 'restored' || s.penalty === null) {
    throw new DomainError('restoration_not_notified', 'The penalty is computed when the restoration is notified', 'INC-11');
  }
  requireText(c.requestedByContactId, 'requestedByContactId', 'INC-15');
  if (s.exclusion !== null) throw new DomainError('penalty_excluded', `No penalty is due: the interruption comes from ${s.exclusion}`, 'INC-14');
  const computed = Money.fromJSON(s.penalty.computed);
  if (!computed.isPositive()) throw new DomainError('no_penalty_due', 'The restoration time earns no penalty tier', 'INC-11');
  const outstanding = computed.subtract(Money.fromJSON(s.penaltyGranted));
  if (!outstanding.isPositive()) throw new DomainError('penalty_already_granted', 'The penalty of this ticket was already granted', 'INC-15');
  const month = billingMonth(s);
  if (!c.alreadyGranted || c.alreadyGranted.billingMonth !== month) {
    throw new DomainError('billing_month_mismatch', `The penalties already granted must be those of ${month}`, 'INC-12', 'alreadyGranted.billingMonth');
  }
  const already = parseAmount(c.alreadyGranted.amount, 'alreadyGranted.amount', 'INC-12');
  const cap = Money.fromJSON(s.terms.monthlyFee as string);
  const amount = applyMonthlyCap(outstanding, cap, already);
  if (!amount.isPositive()) {
    throw new DomainError('monthly_cap_reached', `Penalties of ${month} already reach the monthly fee ${cap.toString()}`, 'INC-12', 'alreadyGranted.amount');
  }
  return [
    {
      type: 'SlaPenaltyGranted',
      data: {
        ticketId: s.ticketId,
        reference: s.reference,
        customerId: s.customerId,
        subscriptionId: s.subscriptionId,
        billingMonth: month,
        amount: amount.toString(),
        computedAmount: computed.toString(),
        monthlyCap: cap.toString(),
        alreadyGrantedInMonth: already.toString(),
        requestedByContactId: c.requestedByContactId,
        grantedAt: iso(now),
      },
    },
  ];
}

const FINDINGS: readonly UnjustifiedFinding[] = ['outside_oksio_responsibility', 'abnormal_use', 'fraudulent_use'];

/** INC-07: the ticket "may" be billed the flat fee: charged unless the agent waives it. */
function declareUnjustified(c: Cmd<'DeclareTicketUnjustified'>, state: TicketState, now: Date): TicketEvent[] {
  const s = requireOpen(state);
  if (!FINDINGS.includes(c.finding)) throw new DomainError('invalid_finding', `Unknown finding ${String(c.finding)}`, 'INC-07', 'finding');
  const events: TicketEvent[] = [{ type: 'TicketFoundUnjustified', data: { ticketId: s.ticketId, finding: c.finding, note: c.note ?? null, foundAt: iso(now) } }];
  if (c.chargeFee !== false) events.push(...fee(s, 'unjustified_ticket', now));
  return events;
}

/** BIL-08 fees, HT, from the ticket's terms; a fee configured at 0.00 is not charged at all. */
function fee(s: OpenedState, kind: 'unjustified_ticket' | 'unjustified_expertise', now: Date): TicketEvent[] {
  const amount = kind === 'unjustified_ticket' ? s.terms.unjustifiedTicketFee : s.terms.unjustifiedExpertiseFee;
  if (Money.fromJSON(amount).isZero()) return [];
  return [
    {
      type: 'IncidentFeeCharged',
      data: {
        ticketId: s.ticketId,
        reference: s.reference,
        customerId: s.customerId,
        subscriptionId: s.subscriptionId,
        fee: kind,
        amount,
        rule: kind === 'unjustified_ticket' ? 'INC-07' : 'INC-08',
        chargedAt: iso(now),
        billingMonth: parisMonth(now),
      },
    },
  ];
}

/** INC-09: a resolved ticket the client has not confirmed closes by itself, with an e-mail confirmation. */
function autoClose(state: TicketState, now: Date): TicketEvent[] {
  requireOpened(state);
  if (state.status !== 'resolved') return []; // closed meanwhile, or reopened: the due action is stale
  const s = state as OpenedState;
  const resolution = s.resolution as NonNullable<TicketState['resolution']>;
  const due = plusParisDays(resolution.at, s.terms.autoCloseAfterDays);
  if (now.getTime() < due.getTime()) throw new DomainError('auto_close_not_due', `Automatic closure is due at ${iso(due)}`, 'INC-09');
  return [
    { type: 'TicketClosed', data: { ticketId: s.ticketId, reference: s.reference, mode: 'automatic', clientInformedVia: 'email', closedAt: iso(now) } },
    {
      type: 'ClosureConfirmationEmailRequested',
      data: { ticketId: s.ticketId, reference: s.reference, customerId: s.customerId, declaredByContactId: s.declaredByContactId, keepInformed: s.keepInformed, requestedAt: iso(now) },
    },
  ];
}

/** INC-09 decision: reopening within `reopenWindowDays` (7) of the closure, same ticket and clock. */
function reopen(c: Cmd<'ReopenTicket'>, state: TicketState, now: Date): TicketEvent[] {
  const s = requireOpened(state);
  if (s.status !== 'closed') throw new DomainError('ticket_not_closed', 'Only a closed ticket can be reopened', 'INC-09');
  if (s.resolution?.kind === 'unjustified') {
    throw new DomainError('reopen_not_allowed', 'A ticket found unjustified is not reopened; open a new ticket', 'INC-09');
  }
  requireText(c.requestedByContactId, 'requestedByContactId', 'INC-09');
  requireText(c.reason, 'reason', 'INC-09');
  const windowEnd = plusParisDays(s.closedAt as string, s.terms.reopenWindowDays);
  if (now.getTime() >= windowEnd.getTime()) {
    throw new DomainError('reopen_window_elapsed', `The ticket could be reopened until ${iso(windowEnd)}`, 'INC-09');
  }
  return [{ type: 'TicketReopened', data: { ticketId: s.ticketId, reference: s.reference, requestedByContactId: c.requestedByContactId, reason: c.reason, reopenedAt: iso(now) } }];
}

// ---- helpers -----------------------------------------------------------------------------------

/** A ticket after TicketOpened: the fields set by opening are present. */
type OpenedState = TicketState & {
  ticketId: string;
  customerId: string;
  reference: string;
  subscriptionId: string;
  declaredByContactId: string;
  terms: IncidentTerms;
  clock: InterruptionClock;
};

function requireOpened(state: TicketState): OpenedState {
  if (state.status === 'new') throw new DomainError('ticket_not_found', 'No such ticket');
  if (state.status === 'qualified') throw new DomainError('ticket_not_open', 'The call is qualified but no ticket is open yet', 'INC-03');
  return state as OpenedState;
}

function requireOpen(state: TicketState): OpenedState {
  const s = requireOpened(state);
  if (s.status !== 'open') throw new DomainError('ticket_not_open', `Ticket ${s.reference} is ${s.status}`, 'INC-09');
  return s;
}

function requireResolved(state: TicketState): OpenedState {
  const s = requireOpened(state);
  if (s.status === 'closed') throw new DomainError('ticket_closed', `Ticket ${s.reference} is already closed`, 'INC-09');
  if (s.status !== 'resolved') throw new DomainError('ticket_not_resolved', 'A ticket is closed once the service is restored or the ticket found unjustified', 'INC-09');
  return s;
}

function requireText(value: unknown, field: string, rule: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError(rule === 'INC-04' ? 'missing_ticket_information' : 'missing_field', `${field} is required`, rule, field);
  }
}

function isChannel(value: unknown): value is ContactChannel {
  return value === 'phone' || value === 'email';
}

/**
 * The instant of a past fact (freeze, access, restoration): given, or now. Never in the future,
 * never before the clock's last change (the clock's intervals must stay ordered).
 */
function factInstant(at: string | undefined, clock: InterruptionClock, now: Date, rule: string): Date {
  const instant = at === undefined ? now : parseInstant(at, 'at', rule);
  if (instant.getTime() > now.getTime()) throw new DomainError('instant_in_future', 'at cannot be in the future', rule, 'at');
  if (instant.getTime() < lastClockChange(clock)) {
    throw new DomainError('instant_out_of_order', `at cannot be before the clock's last change (${iso(new Date(lastClockChange(clock)))})`, rule, 'at');
  }
  return instant;
}

function lastClockChange(clock: InterruptionClock): number {
  const instants = [clock.notifiedAt, ...clock.frozen.flatMap((f) => (f.to === null ? [f.from] : [f.from, f.to]))];
  if (clock.stoppedAt !== null) instants.push(clock.stoppedAt);
  return Math.max(...instants.map(ms));
}

/**
 * INC-12 decision: the billing month of a penalty is the Paris month in which the client notified
 * the interruption (the month of service it affected), whatever month it is restored or granted in.
 */
function billingMonth(s: OpenedState): string {
  return parisMonth(s.clock.notifiedAt);
}

/** The most specific rule explaining why a ticket carries no restoration commitment. */
function noSla(s: TicketState): DomainError {
  if (s.serviceType === 'MOBILE') return new DomainError('no_restoration_commitment', 'MOBILE has no restoration commitment (best effort)', 'INC-16');
  if (s.resolution?.kind === 'unjustified') return new DomainError('ticket_unjustified', 'The ticket was found unjustified', 'INC-07');
  if (s.serviceType === 'DATA' && s.terms?.guaranteedLink && s.classification !== 'interruption') {
    return new DomainError('not_an_interruption', 'Only a total interruption counts (minor anomaly or not classified yet)', 'INC-05');
  }
  return new DomainError('no_restoration_commitment', 'Only DATA guaranteed links carry a restoration commitment', 'INC-10');
}
