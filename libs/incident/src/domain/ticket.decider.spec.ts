import { DomainError } from '@oksio/kernel';
import { given } from '@oksio/kernel/testing/decider-spec';
import type { TicketCommand } from './commands';
import type { TicketEvent } from './events';
import { DEFAULT_INCIDENT_TERMS } from './terms';
import { ticketDecider, ticketStream } from './ticket.decider';
import { HOUR, d, fold, history, openTicket, openedTicket, qualifyCall } from './testing/ticket-fixtures';

/** The DomainError a command is refused with (fails the test when it is accepted). */
function refusal(events: TicketEvent[], command: TicketCommand, now: Date): DomainError {
  try {
    ticketDecider.decide(command, fold(events), now);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`${command.type} was accepted`);
}

const TUE_10 = '2026-06-09T10:00:00+02:00';
const restore = (at?: string): TicketCommand => ({ type: 'NotifyRestoration', via: 'phone', ...(at ? { at } : {}) });
const grant = (billingMonth: string, amount: string): TicketCommand => ({
  type: 'GrantSlaPenalty',
  requestedByContactId: 'c-tech',
  alreadyGranted: { billingMonth, amount },
});

describe('ticket decider', () => {
  it('uses the stream ticket-<id>', () => {
    expect(ticketStream('t-1')).toBe('ticket-t-1');
  });

  describe('qualification and opening', () => {
    it('INC-02 qualifies a call from an authorised contact and identifies the impacted sites', () => {
      given(ticketDecider)
        .when(qualifyCall({ impactedSiteIds: ['site-paris', 'site-lyon', 'site-paris'] }), d(TUE_10))
        .then([
          {
            type: 'CallQualified',
            data: {
              ticketId: 't-1',
              customerId: 'k-1',
              callerContactId: 'c-tech',
              callerKind: 'contact',
              impactedSiteIds: ['site-paris', 'site-lyon'],
              qualifiedAt: '2026-06-09T08:00:00.000Z',
            },
          },
        ]);
    });

    it('INC-02 a delegate acting as the client (ACC-03) and allowed to call support is accepted', () => {
      const [event] = given(ticketDecider).when(qualifyCall({ callerContactId: 'dlg-1' }), d(TUE_10)).events();
      expect(event).toMatchObject({ type: 'CallQualified', data: { callerContactId: 'dlg-1', callerKind: 'delegate' } });
    });

    it('INC-02 refuses an unauthorised or unknown caller, and a call without a known impacted site', () => {
      const now = d(TUE_10);
      expect(refusal([], qualifyCall({ callerContactId: 'c-billing' }), now)).toMatchObject({ code: 'caller_not_authorised', rule: 'INC-02', field: 'callerContactId' });
      expect(refusal([], qualifyCall({ callerContactId: 'stranger' }), now)).toMatchObject({ code: 'caller_unknown', rule: 'INC-02', field: 'callerContactId' });
      expect(refusal([], qualifyCall({ impactedSiteIds: [] }), now)).toMatchObject({ code: 'impacted_sites_required', rule: 'INC-02', field: 'impactedSiteIds' });
      expect(refusal([], qualifyCall({ impactedSiteIds: ['site-paris', 'site-nice'] }), now)).toMatchObject({
        code: 'unknown_site',
        rule: 'INC-02',
        field: 'impactedSiteIds[1]',
      });
      const qualified = history([[qualifyCall(), now]]);
      given(ticketDecider, qualified).when(qualifyCall(), now).thenRejects('call_already_qualified', 'INC-02');
    });

    it('INC-03 a qualified call opens a ticket with its unique reference; the client notification starts the clock', () => {
      const qualified = history([[qualifyCall(), d('2026-06-09T10:20:00+02:00')]]);
      given(ticketDecider, qualified)
        .when(openTicket({ notifiedAt: '2026-06-09T10:05:00+02:00' }), d('2026-06-09T10:25:00+02:00'))
        .then([
          {
            type: 'TicketOpened',
            data: {
              ticketId: 't-1',
              reference: 'INC-2026-000123',
              customerId: 'k-1',
              notifiedAt: '2026-06-09T08:05:00.000Z',
              receivedAt: '2026-06-09T08:05:00.000Z',
              openedAt: '2026-06-09T08:25:00.000Z',
              declaredByContactId: 'c-tech',
              serviceType: 'DATA',
              subscriptionId: 'sub-data-1',
              impactedSiteIds: ['site-paris'],
              description: 'No Internet access at all',
              location: 'Paris office, 2nd floor router',
              consequences: 'Whole office offline',
              keepInformed: { $pii: 'encrypted-person' },
              terms: { ...DEFAULT_INCIDENT_TERMS, guaranteedLink: true, monthlyFee: '100.00' },
            },
          },
        ]);
      const state = fold(history([[openTicket({ notifiedAt: '2026-06-09T10:05:00+02:00' }), d('2026-06-09T10:25:00+02:00')]], qualified));
      expect(state.status).toBe('open');
      expect(state.clock?.notifiedAt).toBe('2026-06-09T08:05:00.000Z');
    });

    it('INC-03 refuses a malformed reference or one of another year, a second opening, and a call not qualified', () => {
      const now = d(TUE_10);
      const qualified = history([[qualifyCall(), now]]);
      for (const reference of ['INC-2026-123', 'inc-2026-000123', 'INC-2026-000000', 'TCK-2026-000123', 'INC-2026-0001234']) {
        expect(refusal(qualified, openTicket({ reference }), now)).toMatchObject({ code: 'invalid_reference', rule: 'INC-03', field: 'reference' });
      }
      expect(refusal(qualified, openTicket({ reference: 'INC-2025-000123' }), now)).toMatchObject({ code: 'invalid_reference', field: 'reference' });
      // A notification on New Year's Eve opened after midnight may carry either year.
      const newYear = history([[qualifyCall(), d('2027-01-01T00:10:00+01:00')]]);
      expect(() => ticketDecider.decide(openTicket({ reference: 'INC-2026-000999', notifiedAt: '2026-12-31T23:50:00+01:00' }), fold(newYear), d('2027-01-01T00:10:00+01:00'))).not.toThrow();
      given(ticketDecider).when(openTicket(), now).thenRejects('call_not_qualified', 'INC-03');
      given(ticketDecider, openedTicket({ notifiedAt: TUE_10 })).when(openTicket(), now).thenRejects('ticket_already_open', 'INC-03');
    });

    it('INC-04 missing required information is refused naming the field; the person to keep informed is optional', () => {
      const now = d(TUE_10);
      const qualified = history([[qualifyCall(), now]]);
      for (const field of ['declaredByContactId', 'serviceType', 'subscriptionId', 'description', 'location', 'consequences'] as const) {
        const blank = openTicket({ [field]: field === 'serviceType' ? 'FAX' : '  ' } as never);
        expect(refusal(qualified, blank, now)).toMatchObject({ code: 'missing_ticket_information', rule: 'INC-04', field });
        const { [field]: _removed, ...missing } = openTicket();
        expect(refusal(qualified, missing as TicketCommand, now)).toMatchObject({ code: 'missing_ticket_information', rule: 'INC-04', field });
      }
      const [opened] = ticketDecider.decide(openTicket({ keepInformed: undefined }), fold(qualified), now);
      expect(opened).toMatchObject({ type: 'TicketOpened', data: { keepInformed: null } });
      expect(refusal(qualified, openTicket({ keepInformed: 'Mr X' as never }), now)).toMatchObject({ rule: 'INC-04', field: 'keepInformed' });
    });

    it('INC-13 the client notification cannot be in the future and must state its offset', () => {
      const now = d(TUE_10);
      const qualified = history([[qualifyCall(), now]]);
      expect(refusal(qualified, openTicket({ notifiedAt: '2026-06-09T10:00:01+02:00' }), now)).toMatchObject({
        code: 'notification_in_future',
        rule: 'INC-13',
        field: 'notifiedAt',
      });
      expect(refusal(qualified, openTicket({ notifiedAt: '2026-06-09T09:00:00' }), now)).toMatchObject({ code: 'invalid_instant', field: 'notifiedAt' });
    });

    it('INC-01 a notification at 20:00 is received by support at the next opening, where the business clock still reads 0', () => {
      const events = openedTicket({ notifiedAt: '2026-06-09T20:00:00+02:00' });
      const opened = events.find((e) => e.type === 'TicketOpened');
      expect(opened?.data).toMatchObject({ notifiedAt: '2026-06-09T18:00:00.000Z', receivedAt: '2026-06-10T07:00:00.000Z' });
      // Restored at the opening: nothing counted; 1 hour later: 1 hour.
      const atOpening = history([[restore('2026-06-10T09:00:00+02:00'), d('2026-06-10T09:00:00+02:00')]], events);
      expect(atOpening.find((e) => e.type === 'RestorationNotified')?.data).toMatchObject({ interruptionMs: 0 });
    });
  });

  describe('classification', () => {
    it('INC-05 a total unavailability attributable to the network only is an Interruption (SLA on a DATA guaranteed link)', () => {
      const opened = openedTicket({ notifiedAt: TUE_10, classification: null });
      given(ticketDecider, opened)
        .when({ type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: true }, d('2026-06-09T10:30:00+02:00'))
        .then([
          {
            type: 'IncidentClassified',
            data: {
              ticketId: 't-1',
              classification: 'interruption',
              totalUnavailability: true,
              attributableToNetworkOnly: true,
              minorSymptom: null,
              slaApplies: true,
              classifiedAt: '2026-06-09T08:30:00.000Z',
            },
          },
        ]);
    });

    it('INC-05 micro-cuts, slow responses or one unreachable destination are minor anomalies without SLA', () => {
      const opened = openedTicket({ notifiedAt: TUE_10, classification: null });
      const now = d('2026-06-09T10:30:00+02:00');
      for (const minorSymptom of ['micro_cuts', 'slow_responses', 'unreachable_destination'] as const) {
        const [event] = given(ticketDecider, opened).when({ type: 'ClassifyIncident', totalUnavailability: false, attributableToNetworkOnly: true, minorSymptom }, now).events();
        expect(event).toMatchObject({ type: 'IncidentClassified', data: { classification: 'minor_anomaly', minorSymptom, slaApplies: false } });
      }
      // Total but not only the network's doing: not an Interruption either.
      const [notNetwork] = given(ticketDecider, opened).when({ type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: false }, now).events();
      expect(notNetwork.data).toMatchObject({ classification: 'minor_anomaly', slaApplies: false });
    });

    it('INC-05 refuses contradictory findings and a restoration before classification; the same classification twice is a no-op', () => {
      const opened = openedTicket({ notifiedAt: TUE_10, classification: null });
      const now = d('2026-06-09T10:30:00+02:00');
      expect(
        refusal(opened, { type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: true, minorSymptom: 'micro_cuts' }, now),
      ).toMatchObject({ code: 'contradictory_findings', rule: 'INC-05', field: 'minorSymptom' });
      expect(refusal(opened, restore(), now)).toMatchObject({ code: 'incident_not_classified', rule: 'INC-05', field: 'classification' });
      given(ticketDecider, openedTicket({ notifiedAt: TUE_10 }))
        .when({ type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: true }, now)
        .then([]);
    });
  });

  describe('interruption clock', () => {
    it('INC-06 site access requested freezes the clock, physical access obtained resumes it, and the deadline moves', () => {
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const frozen = history([[{ type: 'RequestSiteAccess', siteId: 'site-paris', at: '2026-06-09T11:00:00+02:00' }, d('2026-06-09T11:05:00+02:00')]], opened);
      expect(frozen[frozen.length - 1]).toEqual({
        type: 'InterruptionClockFrozen',
        data: { ticketId: 't-1', reason: 'site_access_requested', siteId: 'site-paris', frozenAt: '2026-06-09T09:00:00.000Z' },
      });
      given(ticketDecider, frozen)
        .when({ type: 'RecordSiteAccessObtained' }, d('2026-06-09T13:30:00+02:00'))
        .then([{ type: 'InterruptionClockResumed', data: { ticketId: 't-1', reason: 'site_access_obtained', resumedAt: '2026-06-09T11:30:00.000Z' } }]);
      // Restored at 16:00: 6 h since notification, 2.5 h frozen → 3.5 business hours, inside the SLA.
      const done = history(
        [
          [{ type: 'RecordSiteAccessObtained' }, d('2026-06-09T13:30:00+02:00')],
          [restore(), d('2026-06-09T16:00:00+02:00')],
        ],
        frozen,
      );
      expect(done.filter((e) => e.type === 'SlaBreached')).toEqual([]);
      expect(done.find((e) => e.type === 'SlaPenaltyComputed')?.data).toMatchObject({ interruptionMs: 3.5 * HOUR, tierPercentage: '0', amount: '0.00' });
    });

    it('INC-06 refuses a second freeze, a resume without freeze, a site not impacted, instants in the future or out of order', () => {
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const now = d('2026-06-09T11:00:00+02:00');
      const frozen = history([[{ type: 'RequestSiteAccess', siteId: 'site-paris' }, now]], opened);
      given(ticketDecider, frozen).when({ type: 'RequestSiteAccess', siteId: 'site-paris' }, now).thenRejects('clock_already_frozen', 'INC-06');
      given(ticketDecider, opened).when({ type: 'RecordSiteAccessObtained' }, now).thenRejects('clock_not_frozen', 'INC-06');
      expect(refusal(opened, { type: 'RequestSiteAccess', siteId: 'site-lyon' }, now)).toMatchObject({ code: 'unknown_site', field: 'siteId' });
      expect(refusal(opened, { type: 'RequestSiteAccess', siteId: 'site-paris', at: '2026-06-09T12:00:00+02:00' }, now)).toMatchObject({
        code: 'instant_in_future',
        rule: 'INC-06',
        field: 'at',
      });
      expect(refusal(frozen, { type: 'RecordSiteAccessObtained', at: '2026-06-09T10:59:00+02:00' }, now)).toMatchObject({ code: 'instant_out_of_order', field: 'at' });
      expect(refusal(opened, { type: 'RequestSiteAccess', siteId: 'site-paris', at: '2026-06-09T09:59:00+02:00' }, now)).toMatchObject({ code: 'instant_out_of_order' });
    });

    it('INC-13 restoration notified stops the clock: counted from the client notification, not from the ticket opening', () => {
      // Notified 10:00, ticket opened 10:30, restoration notified at 13:00 → 3 h.
      const events = history([
        [qualifyCall(), d('2026-06-09T10:30:00+02:00')],
        [openTicket({ notifiedAt: TUE_10 }), d('2026-06-09T10:30:00+02:00')],
        [{ type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: true }, d('2026-06-09T10:40:00+02:00')],
      ]);
      const [notified, computed] = given(ticketDecider, events).when(restore(), d('2026-06-09T13:00:00+02:00')).events();
      expect(notified).toEqual({
        type: 'RestorationNotified',
        data: { ticketId: 't-1', reference: 'INC-2026-000123', via: 'phone', restoredAt: '2026-06-09T11:00:00.000Z', interruptionMs: 3 * HOUR, clockBasis: 'business_hours' },
      });
      expect(computed.type).toBe('SlaPenaltyComputed');
      const state = fold(history([[restore(), d('2026-06-09T13:00:00+02:00')]], events));
      expect(state.status).toBe('resolved');
      expect(state.clock?.stoppedAt).toBe('2026-06-09T11:00:00.000Z');
      expect(refusal(events, restore('2026-06-09T09:00:00+02:00'), d('2026-06-09T13:00:00+02:00'))).toMatchObject({ code: 'instant_out_of_order', rule: 'INC-13' });
    });
  });

  describe('SLA breach', () => {
    const opened = openedTicket({ notifiedAt: TUE_10 }); // deadline 14:00

    it('INC-10 RecordSlaBreach from the scheduler is refused before the deadline, and while the clock is frozen', () => {
      const command: TicketCommand = { type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' };
      expect(refusal(opened, command, d('2026-06-09T13:59:59+02:00'))).toMatchObject({ code: 'sla_deadline_not_reached', rule: 'INC-10', field: 'deadline' });
      const frozen = history([[{ type: 'RequestSiteAccess', siteId: 'site-paris' }, d('2026-06-09T11:00:00+02:00')]], opened);
      expect(refusal(frozen, command, d('2026-06-09T15:00:00+02:00'))).toMatchObject({ code: 'sla_deadline_not_reached', rule: 'INC-10' });
    });

    it('INC-10 RecordSlaBreach at the deadline records the breach exactly once; a second one is a no-op', () => {
      const command: TicketCommand = { type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' };
      const breach: TicketEvent = {
        type: 'SlaBreached',
        data: { ticketId: 't-1', reference: 'INC-2026-000123', subscriptionId: 'sub-data-1', deadline: '2026-06-09T12:00:00.000Z', recordedAt: '2026-06-09T12:00:00.000Z' },
      };
      given(ticketDecider, opened).when(command, d('2026-06-09T14:00:00+02:00')).then([breach]);
      given(ticketDecider, [...opened, breach]).when(command, d('2026-06-09T14:00:05+02:00')).then([]);
      // …and the later restoration does not record it again.
      const restored = given(ticketDecider, [...opened, breach]).when(restore(), d('2026-06-09T15:00:00+02:00')).events();
      expect(restored.map((e) => e.type)).toEqual(['RestorationNotified', 'SlaPenaltyComputed']);
    });

    it('INC-10 a restoration notified after the deadline records the breach itself, so no breach is ever missed', () => {
      const events = given(ticketDecider, opened).when(restore(), d('2026-06-09T14:30:00+02:00')).events();
      expect(events.map((e) => e.type)).toEqual(['RestorationNotified', 'SlaBreached', 'SlaPenaltyComputed']);
      expect(events[1].data).toMatchObject({ deadline: '2026-06-09T12:00:00.000Z' });
      // The scheduler's copy arriving afterwards is a no-op.
      given(ticketDecider, [...opened, ...events]).when({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, d('2026-06-09T14:31:00+02:00')).then([]);
    });

    it('INC-10 a stale breach command after a restoration in time, or on a ticket that lost its SLA, is a no-op', () => {
      const inTime = history([[restore(), d('2026-06-09T13:00:00+02:00')]], opened);
      given(ticketDecider, inTime).when({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, d('2026-06-09T14:00:00+02:00')).then([]);
      const minor = history([[{ type: 'ClassifyIncident', totalUnavailability: false, attributableToNetworkOnly: true, minorSymptom: 'slow_responses' }, d('2026-06-09T11:00:00+02:00')]], opened);
      given(ticketDecider, minor).when({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, d('2026-06-09T14:00:00+02:00')).then([]);
    });

    it('INC-10 only DATA links can be guaranteed, and a guaranteed link needs its monthly fee', () => {
      const now = d(TUE_10);
      const qualified = history([[qualifyCall(), now]]);
      expect(refusal(qualified, openTicket({ serviceType: 'FIXED_SIP', terms: { guaranteedLink: true, monthlyFee: '50.00' } }), now)).toMatchObject({
        code: 'no_restoration_commitment',
        rule: 'INC-10',
        field: 'terms.guaranteedLink',
      });
      expect(refusal(qualified, openTicket({ terms: { guaranteedLink: true } }), now)).toMatchObject({ code: 'monthly_fee_required', rule: 'INC-11', field: 'terms.monthlyFee' });
      expect(refusal(qualified, openTicket({ terms: { guaranteedLink: true, monthlyFee: '12.3456' } }), now)).toMatchObject({ code: 'invalid_amount', field: 'terms.monthlyFee' });
      expect(refusal(qualified, openTicket({ terms: { guaranteedLink: 'yes' as never, monthlyFee: '10.00' } }), now)).toMatchObject({ code: 'invalid_terms', field: 'terms.guaranteedLink' });
      expect(refusal(qualified, openTicket({ terms: { guaranteedLink: true, monthlyFee: '10.00', clockBasis: 'lunar' as never } }), now)).toMatchObject({
        code: 'invalid_terms',
        rule: 'INC-10',
        field: 'terms.clockBasis',
      });
      // A DATA link without the option: an Interruption, but no commitment.
      const plain = openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: false } });
      expect(plain.find((e) => e.type === 'IncidentClassified')?.data).toMatchObject({ classification: 'interruption', slaApplies: false });
      expect(refusal(plain, grant('2026-06', '0.00'), d('2026-06-10T10:00:00+02:00'))).toMatchObject({ code: 'no_restoration_commitment', rule: 'INC-10' });
    });

    it('INC-16 MOBILE has no restoration commitment: no guaranteed link, no breach, no penalty, no exclusion', () => {
      const now = d(TUE_10);
      const qualified = history([[qualifyCall(), now]]);
      expect(refusal(qualified, openTicket({ serviceType: 'MOBILE', subscriptionId: 'sub-mob-1', terms: { guaranteedLink: true, monthlyFee: '30.00' } }), now)).toMatchObject({
        code: 'no_restoration_commitment',
        rule: 'INC-16',
        field: 'terms.guaranteedLink',
      });
      const mobile = openedTicket({ notifiedAt: TUE_10, serviceType: 'MOBILE', subscriptionId: 'sub-mob-1', terms: {} });
      expect(mobile.find((e) => e.type === 'IncidentClassified')?.data).toMatchObject({ classification: 'interruption', slaApplies: false });
      const twoDaysLater = d('2026-06-11T15:00:00+02:00');
      given(ticketDecider, mobile).when({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, twoDaysLater).then([]);
      const restored = history([[restore(), twoDaysLater]], mobile);
      expect(restored.slice(mobile.length).map((e) => e.type)).toEqual(['RestorationNotified']);
      expect(refusal(restored, grant('2026-06', '0.00'), twoDaysLater)).toMatchObject({ code: 'no_restoration_commitment', rule: 'INC-16' });
      expect(refusal(restored, { type: 'RecordSlaExclusion', cause: 'third_party' }, twoDaysLater)).toMatchObject({ rule: 'INC-16' });
    });
  });

  describe('penalties', () => {
    it('INC-11 the penalty is computed at restoration from the business-hours duration (5 h → 20 % of the monthly fee)', () => {
      const opened = openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '123.45' } });
      const events = given(ticketDecider, opened).when(restore(), d('2026-06-09T15:00:00+02:00')).events();
      expect(events[2]).toEqual({
        type: 'SlaPenaltyComputed',
        data: {
          ticketId: 't-1',
          subscriptionId: 'sub-data-1',
          billingMonth: '2026-06',
          interruptionMs: 5 * HOUR,
          clockBasis: 'business_hours',
          tierPercentage: '20',
          monthlyFee: '123.45',
          amount: '24.69',
        },
      });
    });

    it('INC-11 tiers read the clock basis: overnight on business hours stays in the 20 % tier; on the calendar basis it is 40 %', () => {
      // Notified Tue 15:00, restored Wed 11:00: 5 business hours, 20 calendar hours.
      const business = history([[restore(), d('2026-06-10T11:00:00+02:00')]], openedTicket({ notifiedAt: '2026-06-09T15:00:00+02:00' }));
      expect(business.find((e) => e.type === 'SlaPenaltyComputed')?.data).toMatchObject({ interruptionMs: 5 * HOUR, tierPercentage: '20', amount: '20.00' });
      const calendar = history(
        [[restore(), d('2026-06-10T11:00:00+02:00')]],
        openedTicket({ notifiedAt: '2026-06-09T15:00:00+02:00', terms: { guaranteedLink: true, monthlyFee: '100.00', clockBasis: 'calendar' } }),
      );
      expect(calendar.find((e) => e.type === 'SlaPenaltyComputed')?.data).toMatchObject({ interruptionMs: 20 * HOUR, clockBasis: 'calendar', tierPercentage: '40', amount: '40.00' });
    });

    it("INC-15 the penalty is granted on the client's request without other formality, once", () => {
      const restored = history([[restore(), d('2026-06-09T15:00:00+02:00')]], openedTicket({ notifiedAt: TUE_10 }));
      const now = d('2026-06-12T10:00:00+02:00');
      const granted = given(ticketDecider, restored).when(grant('2026-06', '0.00'), now).events();
      expect(granted).toEqual([
        {
          type: 'SlaPenaltyGranted',
          data: {
            ticketId: 't-1',
            reference: 'INC-2026-000123',
            customerId: 'k-1',
            subscriptionId: 'sub-data-1',
            billingMonth: '2026-06',
            amount: '20.00',
            computedAmount: '20.00',
            monthlyCap: '100.00',
            alreadyGrantedInMonth: '0.00',
            requestedByContactId: 'c-tech',
            grantedAt: '2026-06-12T08:00:00.000Z',
          },
        },
      ]);
      expect(refusal([...restored, ...granted], grant('2026-06', '20.00'), now)).toMatchObject({ code: 'penalty_already_granted', rule: 'INC-15' });
      // Also after closure: the request has no deadline in the seed.
      const closed = history([[{ type: 'CloseTicket', clientInformedVia: 'email' }, d('2026-06-09T16:00:00+02:00')]], restored);
      expect(ticketDecider.decide(grant('2026-06', '0.00'), fold(closed), now)[0].type).toBe('SlaPenaltyGranted');
    });

    it('INC-15 refused before the restoration (penalty not computed yet), without a requester, or when no tier applies (INC-11)', () => {
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const now = d('2026-06-09T16:00:00+02:00');
      expect(refusal(opened, grant('2026-06', '0.00'), now)).toMatchObject({ code: 'restoration_not_notified', rule: 'INC-11' });
      const restoredLate = history([[restore(), d('2026-06-09T15:00:00+02:00')]], opened);
      expect(refusal(restoredLate, { type: 'GrantSlaPenalty', requestedByContactId: '', alreadyGranted: { billingMonth: '2026-06', amount: '0.00' } }, now)).toMatchObject({
        rule: 'INC-15',
        field: 'requestedByContactId',
      });
      // Exactly 4 h: the SLA is missed (strict), but the first tier needs more than 4 h.
      const exactly4h = history([[restore(), d('2026-06-09T14:00:00+02:00')]], opened);
      expect(exactly4h.slice(opened.length).map((e) => e.type)).toEqual(['RestorationNotified', 'SlaBreached', 'SlaPenaltyComputed']);
      expect(refusal(exactly4h, grant('2026-06', '0.00'), now)).toMatchObject({ code: 'no_penalty_due', rule: 'INC-11' });
    });

    it('INC-12 cap across two tickets of one link in one month: the second gets only what is left of one monthly fee', () => {
      // Ticket A: Mon 8 June 09:00 → Wed 10 June 18:00 = 27 business hours → 60 % of 100.00.
      const a = history([[restore(), d('2026-06-10T18:00:00+02:00')]], openedTicket({ ticketId: 't-a', reference: 'INC-2026-000201', notifiedAt: '2026-06-08T09:00:00+02:00' }));
      const grantedA = ticketDecider.decide(grant('2026-06', '0.00'), fold(a), d('2026-06-11T09:00:00+02:00'));
      expect(grantedA[0].data).toMatchObject({ ticketId: 't-a', amount: '60.00' });

      // Ticket B, same link, same month: 60 % again, but only 40.00 remain under the cap.
      const b = history([[restore(), d('2026-06-17T18:00:00+02:00')]], openedTicket({ ticketId: 't-b', reference: 'INC-2026-000202', notifiedAt: '2026-06-15T09:00:00+02:00' }));
      const grantedB = ticketDecider.decide(grant('2026-06', '60.00'), fold(b), d('2026-06-18T09:00:00+02:00'));
      expect(grantedB[0].data).toMatchObject({ ticketId: 't-b', computedAmount: '60.00', alreadyGrantedInMonth: '60.00', monthlyCap: '100.00', amount: '40.00' });

      // Ticket C: 20 %, but the month is exhausted.
      const c = history([[restore(), d('2026-06-22T15:00:00+02:00')]], openedTicket({ ticketId: 't-c', reference: 'INC-2026-000203', notifiedAt: '2026-06-22T10:00:00+02:00' }));
      expect(refusal(c, grant('2026-06', '100.00'), d('2026-06-23T09:00:00+02:00'))).toMatchObject({ code: 'monthly_cap_reached', rule: 'INC-12', field: 'alreadyGranted.amount' });
    });

    it("INC-12 the already-granted total must be the ticket's billing month: the Paris month of the notification", () => {
      // 30 June 23:30 UTC is 1 July 01:30 in Paris: billing month 2026-07. Restored 1 July 17:00 (8 business hours → 20 %).
      const restored = history([[restore(), d('2026-07-01T17:00:00+02:00')]], openedTicket({ notifiedAt: '2026-06-30T23:30:00Z' }));
      const now = d('2026-07-02T10:00:00+02:00');
      expect(refusal(restored, grant('2026-06', '0.00'), now)).toMatchObject({ code: 'billing_month_mismatch', rule: 'INC-12', field: 'alreadyGranted.billingMonth' });
      expect(refusal(restored, grant('2026-07', '-5.00'), now)).toMatchObject({ code: 'invalid_amount', rule: 'INC-12', field: 'alreadyGranted.amount' });
      expect(ticketDecider.decide(grant('2026-07', '0.00'), fold(restored), now)[0].data).toMatchObject({ billingMonth: '2026-07', amount: '20.00' });
    });

    it('INC-12 only a total interruption of the ordered offer counts: a minor anomaly earns no penalty', () => {
      const minor = openedTicket({ notifiedAt: TUE_10, classification: 'minor_anomaly' });
      const restored = history([[restore(), d('2026-06-10T18:00:00+02:00')]], minor);
      expect(restored.slice(minor.length).map((e) => e.type)).toEqual(['RestorationNotified']);
      expect(refusal(restored, grant('2026-06', '0.00'), d('2026-06-11T10:00:00+02:00'))).toMatchObject({ code: 'not_an_interruption', rule: 'INC-05' });
    });

    it('INC-14 an exclusion recorded with its cause cancels the penalty (the breach stays a fact)', () => {
      const restored = history([[restore(), d('2026-06-09T18:00:00+02:00')]], openedTicket({ notifiedAt: TUE_10 }));
      const now = d('2026-06-10T10:00:00+02:00');
      given(ticketDecider, restored)
        .when({ type: 'RecordSlaExclusion', cause: 'incumbent_network', note: 'Orange cable cut, ticket FT-1234' }, now)
        .then([{ type: 'SlaExclusionRecorded', data: { ticketId: 't-1', cause: 'incumbent_network', note: 'Orange cable cut, ticket FT-1234', recordedAt: '2026-06-10T08:00:00.000Z' } }]);
      const excluded = history([[{ type: 'RecordSlaExclusion', cause: 'client_fault' }, now]], restored);
      expect(refusal(excluded, grant('2026-06', '0.00'), now)).toMatchObject({ code: 'penalty_excluded', rule: 'INC-14' });
      expect(fold(excluded).slaBreach).not.toBeNull();
      // An exclusion may be found while the ticket is still open, too.
      const open = openedTicket({ notifiedAt: TUE_10 });
      expect(ticketDecider.decide({ type: 'RecordSlaExclusion', cause: 'force_majeure' }, fold(open), now)[0].type).toBe('SlaExclusionRecorded');
    });

    it('INC-14 refuses an unknown cause, a second exclusion, an exclusion after a grant, and tickets without SLA', () => {
      const restored = history([[restore(), d('2026-06-09T18:00:00+02:00')]], openedTicket({ notifiedAt: TUE_10 }));
      const now = d('2026-06-10T10:00:00+02:00');
      expect(refusal(restored, { type: 'RecordSlaExclusion', cause: 'bad_luck' as never }, now)).toMatchObject({ code: 'invalid_exclusion_cause', rule: 'INC-14', field: 'cause' });
      const excluded = history([[{ type: 'RecordSlaExclusion', cause: 'third_party' }, now]], restored);
      expect(refusal(excluded, { type: 'RecordSlaExclusion', cause: 'force_majeure' }, now)).toMatchObject({ code: 'exclusion_already_recorded', rule: 'INC-14' });
      const granted = history([[grant('2026-06', '0.00'), now]], restored);
      expect(refusal(granted, { type: 'RecordSlaExclusion', cause: 'third_party' }, now)).toMatchObject({ code: 'penalty_already_granted', rule: 'INC-14' });
      const minor = openedTicket({ notifiedAt: TUE_10, classification: 'minor_anomaly' });
      expect(refusal(minor, { type: 'RecordSlaExclusion', cause: 'third_party' }, now)).toMatchObject({ code: 'not_an_interruption', rule: 'INC-05' });
    });

    it('BIL-11 SlaPenaltyGranted hands Billing a positive credit HT for the link and billing month, to deduct from the next invoice', () => {
      const restored = history([[restore(), d('2026-06-10T18:00:00+02:00')]], openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '89.90' } }));
      const [event] = ticketDecider.decide(grant('2026-06', '0.00'), fold(restored), d('2026-06-11T10:00:00+02:00'));
      expect(event.type).toBe('SlaPenaltyGranted');
      // 17 business hours → 40 % of 89.90 = 35.96
      expect(event.data).toMatchObject({ subscriptionId: 'sub-data-1', customerId: 'k-1', billingMonth: '2026-06', amount: '35.96' });
      const data = event.data as { amount: string; billingMonth: string };
      expect(data.amount).toMatch(/^\d+\.\d{2}$/);
      expect(data.billingMonth).toMatch(/^\d{4}-\d{2}$/);
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    });
  });

  describe('fees', () => {
    it("INC-07 a ticket found outside OKSIO's responsibility is charged the flat fee of 40 € HT", () => {
      const opened = openedTicket({ notifiedAt: TUE_10 });
      given(ticketDecider, opened)
        .when({ type: 'DeclareTicketUnjustified', finding: 'outside_oksio_responsibility', note: 'Client router unplugged' }, d('2026-06-09T11:00:00+02:00'))
        .then([
          { type: 'TicketFoundUnjustified', data: { ticketId: 't-1', finding: 'outside_oksio_responsibility', note: 'Client router unplugged', foundAt: '2026-06-09T09:00:00.000Z' } },
          {
            type: 'IncidentFeeCharged',
            data: {
              ticketId: 't-1',
              reference: 'INC-2026-000123',
              customerId: 'k-1',
              subscriptionId: 'sub-data-1',
              fee: 'unjustified_ticket',
              amount: '40.00',
              rule: 'INC-07',
              chargedAt: '2026-06-09T09:00:00.000Z',
              billingMonth: '2026-06',
            },
          },
        ]);
      for (const finding of ['abnormal_use', 'fraudulent_use'] as const) {
        const events = given(ticketDecider, opened).when({ type: 'DeclareTicketUnjustified', finding }, d('2026-06-09T11:00:00+02:00')).events();
        expect(events[1].data).toMatchObject({ fee: 'unjustified_ticket', amount: '40.00' });
      }
      expect(refusal(opened, { type: 'DeclareTicketUnjustified', finding: 'bad_mood' as never }, d('2026-06-09T11:00:00+02:00'))).toMatchObject({ rule: 'INC-07', field: 'finding' });
    });

    it('INC-07 the fee is configurable and may be waived; an unjustified ticket carries no SLA and can be closed', () => {
      const now = d('2026-06-09T11:00:00+02:00');
      const custom = openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '100.00', unjustifiedTicketFee: '30' } });
      expect(given(ticketDecider, custom).when({ type: 'DeclareTicketUnjustified', finding: 'abnormal_use' }, now).events()[1].data).toMatchObject({ amount: '30.00' });
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const waived = history([[{ type: 'DeclareTicketUnjustified', finding: 'abnormal_use', chargeFee: false }, now]], opened);
      expect(waived.slice(opened.length).map((e) => e.type)).toEqual(['TicketFoundUnjustified']);
      // Past the deadline: no breach is recorded on an unjustified ticket, no penalty can be asked.
      given(ticketDecider, waived).when({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, d('2026-06-09T15:00:00+02:00')).then([]);
      expect(refusal(waived, grant('2026-06', '0.00'), d('2026-06-09T15:00:00+02:00'))).toMatchObject({ code: 'ticket_unjustified', rule: 'INC-07' });
      expect(given(ticketDecider, waived).when({ type: 'CloseTicket', clientInformedVia: 'email' }, d('2026-06-09T15:00:00+02:00')).events()[0].type).toBe('TicketClosed');
      const free = openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '100.00', unjustifiedTicketFee: '0' } });
      expect(given(ticketDecider, free).when({ type: 'DeclareTicketUnjustified', finding: 'abnormal_use' }, now).events().map((e) => e.type)).toEqual(['TicketFoundUnjustified']);
    });

    it('INC-08 an unjustified expertise request to the incumbent is charged 250 € HT; a justified one nothing', () => {
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const requested = history([[{ type: 'RequestExpertise', requestedByContactId: 'c-tech' }, d('2026-06-10T10:00:00+02:00')]], opened);
      expect(requested[requested.length - 1]).toEqual({
        type: 'IncumbentExpertiseRequested',
        data: { ticketId: 't-1', requestedByContactId: 'c-tech', requestedAt: '2026-06-10T08:00:00.000Z' },
      });
      const now = d('2026-06-12T10:00:00+02:00');
      const unjustified = given(ticketDecider, requested).when({ type: 'RecordExpertiseOutcome', justified: false, note: 'Line tested OK' }, now).events();
      expect(unjustified).toEqual([
        { type: 'IncumbentExpertiseConcluded', data: { ticketId: 't-1', justified: false, note: 'Line tested OK', concludedAt: '2026-06-12T08:00:00.000Z' } },
        {
          type: 'IncidentFeeCharged',
          data: {
            ticketId: 't-1',
            reference: 'INC-2026-000123',
            customerId: 'k-1',
            subscriptionId: 'sub-data-1',
            fee: 'unjustified_expertise',
            amount: '250.00',
            rule: 'INC-08',
            chargedAt: '2026-06-12T08:00:00.000Z',
            billingMonth: '2026-06',
          },
        },
      ]);
      given(ticketDecider, requested)
        .when({ type: 'RecordExpertiseOutcome', justified: true }, now)
        .then([{ type: 'IncumbentExpertiseConcluded', data: { ticketId: 't-1', justified: true, note: null, concludedAt: '2026-06-12T08:00:00.000Z' } }]);
    });

    it('INC-08 refuses an expertise on MOBILE, a second one in progress, and an outcome without request', () => {
      const now = d('2026-06-10T10:00:00+02:00');
      const mobile = openedTicket({ notifiedAt: TUE_10, serviceType: 'MOBILE', terms: {} });
      expect(refusal(mobile, { type: 'RequestExpertise', requestedByContactId: 'c-tech' }, now)).toMatchObject({ code: 'expertise_not_applicable', rule: 'INC-08', field: 'serviceType' });
      const opened = openedTicket({ notifiedAt: TUE_10 });
      const requested = history([[{ type: 'RequestExpertise', requestedByContactId: 'c-tech' }, now]], opened);
      given(ticketDecider, requested).when({ type: 'RequestExpertise', requestedByContactId: 'c-tech' }, now).thenRejects('expertise_already_requested', 'INC-08');
      given(ticketDecider, opened).when({ type: 'RecordExpertiseOutcome', justified: false }, now).thenRejects('no_expertise_requested', 'INC-08');
    });

    it('BIL-08 fee events carry the HT amount as a 2-decimal string, the fee kind and rule, the customer and the subscription', () => {
      const now = d('2026-06-10T10:00:00+02:00');
      const opened = openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '100.00', unjustifiedExpertiseFee: '250' } });
      const events = history(
        [
          [{ type: 'RequestExpertise', requestedByContactId: 'c-tech' }, now],
          [{ type: 'RecordExpertiseOutcome', justified: false }, now],
          [{ type: 'DeclareTicketUnjustified', finding: 'outside_oksio_responsibility' }, now],
        ],
        opened,
      );
      const fees = events.filter((e) => e.type === 'IncidentFeeCharged').map((e) => e.data);
      expect(fees).toEqual([
        expect.objectContaining({ fee: 'unjustified_expertise', amount: '250.00', rule: 'INC-08', customerId: 'k-1', subscriptionId: 'sub-data-1', billingMonth: '2026-06' }),
        expect.objectContaining({ fee: 'unjustified_ticket', amount: '40.00', rule: 'INC-07', customerId: 'k-1', subscriptionId: 'sub-data-1' }),
      ]);
      expect(fold(events).feesCharged).toEqual(['unjustified_expertise', 'unjustified_ticket']);
      // Malformed configured fees never reach Billing.
      const qualified = history([[qualifyCall(), now]]);
      expect(refusal(qualified, openTicket({ terms: { unjustifiedTicketFee: '40,00' } }), now)).toMatchObject({ code: 'invalid_amount', rule: 'INC-07', field: 'terms.unjustifiedTicketFee' });
    });
  });

  describe('closure and reopening', () => {
    const restored = history([[restore(), d('2026-06-09T13:00:00+02:00')]], openedTicket({ notifiedAt: TUE_10 }));

    it('INC-09 support closes a resolved ticket after informing the client by phone or e-mail', () => {
      given(ticketDecider, restored)
        .when({ type: 'CloseTicket', clientInformedVia: 'phone' }, d('2026-06-09T13:30:00+02:00'))
        .then([{ type: 'TicketClosed', data: { ticketId: 't-1', reference: 'INC-2026-000123', mode: 'support', clientInformedVia: 'phone', closedAt: '2026-06-09T11:30:00.000Z' } }]);
    });

    it('INC-09 refuses closing an unresolved ticket, without informing the client, or twice', () => {
      const now = d('2026-06-09T13:30:00+02:00');
      given(ticketDecider, openedTicket({ notifiedAt: TUE_10 })).when({ type: 'CloseTicket', clientInformedVia: 'email' }, now).thenRejects('ticket_not_resolved', 'INC-09');
      expect(refusal(restored, { type: 'CloseTicket', clientInformedVia: 'carrier_pigeon' as never }, now)).toMatchObject({ code: 'client_not_informed', rule: 'INC-09', field: 'clientInformedVia' });
      const closed = history([[{ type: 'CloseTicket', clientInformedVia: 'email' }, now]], restored);
      given(ticketDecider, closed).when({ type: 'CloseTicket', clientInformedVia: 'email' }, now).thenRejects('ticket_closed', 'INC-09');
    });

    it('INC-09 the client confirming the resolution closes the ticket', () => {
      given(ticketDecider, restored)
        .when({ type: 'ConfirmResolution', contactId: 'c-tech' }, d('2026-06-09T14:00:00+02:00'))
        .then([
          { type: 'ResolutionConfirmed', data: { ticketId: 't-1', contactId: 'c-tech', confirmedAt: '2026-06-09T12:00:00.000Z' } },
          { type: 'TicketClosed', data: { ticketId: 't-1', reference: 'INC-2026-000123', mode: 'client_confirmed', clientInformedVia: null, closedAt: '2026-06-09T12:00:00.000Z' } },
        ]);
    });

    it('INC-09 automatic closure of an unconfirmed resolved ticket after N days, with an e-mail confirmation for the notifier', () => {
      // Resolved Tue 13:00; default 3 days → Fri 12 June 13:00.
      given(ticketDecider, restored).when({ type: 'AutoCloseTicket' }, d('2026-06-12T12:59:59+02:00')).thenRejects('auto_close_not_due', 'INC-09');
      given(ticketDecider, restored)
        .when({ type: 'AutoCloseTicket' }, d('2026-06-12T13:00:00+02:00'))
        .then([
          { type: 'TicketClosed', data: { ticketId: 't-1', reference: 'INC-2026-000123', mode: 'automatic', clientInformedVia: 'email', closedAt: '2026-06-12T11:00:00.000Z' } },
          {
            type: 'ClosureConfirmationEmailRequested',
            data: {
              ticketId: 't-1',
              reference: 'INC-2026-000123',
              customerId: 'k-1',
              declaredByContactId: 'c-tech',
              keepInformed: { $pii: 'encrypted-person' },
              requestedAt: '2026-06-12T11:00:00.000Z',
            },
          },
        ]);
      // Stale: already closed by the client → nothing.
      const confirmed = history([[{ type: 'ConfirmResolution', contactId: 'c-tech' }, d('2026-06-10T09:00:00+02:00')]], restored);
      given(ticketDecider, confirmed).when({ type: 'AutoCloseTicket' }, d('2026-06-12T13:00:00+02:00')).then([]);
    });

    it('INC-09 reopening within 7 days after closure (window configurable); refused after', () => {
      const closed = history([[{ type: 'CloseTicket', clientInformedVia: 'phone' }, d('2026-06-09T14:00:00+02:00')]], restored);
      const reopen: TicketCommand = { type: 'ReopenTicket', requestedByContactId: 'c-tech', reason: 'Link down again' };
      given(ticketDecider, closed)
        .when(reopen, d('2026-06-16T13:59:59+02:00'))
        .then([{ type: 'TicketReopened', data: { ticketId: 't-1', reference: 'INC-2026-000123', requestedByContactId: 'c-tech', reason: 'Link down again', reopenedAt: '2026-06-16T11:59:59.000Z' } }]);
      given(ticketDecider, closed).when(reopen, d('2026-06-16T14:00:00+02:00')).thenRejects('reopen_window_elapsed', 'INC-09');
      given(ticketDecider, restored).when(reopen, d('2026-06-09T14:00:00+02:00')).thenRejects('ticket_not_closed', 'INC-09');

      const short = history(
        [
          [restore(), d('2026-06-09T13:00:00+02:00')],
          [{ type: 'CloseTicket', clientInformedVia: 'phone' }, d('2026-06-09T14:00:00+02:00')],
        ],
        openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '100.00', reopenWindowDays: 2 } }),
      );
      given(ticketDecider, short).when(reopen, d('2026-06-11T14:00:00+02:00')).thenRejects('reopen_window_elapsed', 'INC-09');
      const unjustified = history(
        [
          [{ type: 'DeclareTicketUnjustified', finding: 'abnormal_use' }, d('2026-06-09T11:00:00+02:00')],
          [{ type: 'CloseTicket', clientInformedVia: 'phone' }, d('2026-06-09T11:30:00+02:00')],
        ],
        openedTicket({ notifiedAt: TUE_10 }),
      );
      given(ticketDecider, unjustified).when(reopen, d('2026-06-09T12:00:00+02:00')).thenRejects('reopen_not_allowed', 'INC-09');
    });

    it('INC-09 a reopened ticket continues its clock; the next restoration recomputes the penalty and only the difference is granted', () => {
      // 10:00 → 15:00 = 5 h (20 %), granted 20.00; reopened Wed 09:00, restored Wed 14:00: 5 + 5 = 10 h → 40 %.
      const first = history(
        [
          [restore(), d('2026-06-09T15:00:00+02:00')],
          [grant('2026-06', '0.00'), d('2026-06-09T15:10:00+02:00')],
          [{ type: 'CloseTicket', clientInformedVia: 'phone' }, d('2026-06-09T15:30:00+02:00')],
          [{ type: 'ReopenTicket', requestedByContactId: 'c-tech', reason: 'Down again' }, d('2026-06-10T09:00:00+02:00')],
        ],
        openedTicket({ notifiedAt: TUE_10 }),
      );
      const second = given(ticketDecider, first).when(restore(), d('2026-06-10T14:00:00+02:00')).events();
      // The breach was recorded at the first restoration: not again.
      expect(second.map((e) => e.type)).toEqual(['RestorationNotified', 'SlaPenaltyComputed']);
      expect(second[1].data).toMatchObject({ interruptionMs: 10 * HOUR, tierPercentage: '40', amount: '40.00' });
      const [granted] = ticketDecider.decide(grant('2026-06', '20.00'), fold([...first, ...second]), d('2026-06-10T15:00:00+02:00'));
      expect(granted.data).toMatchObject({ computedAmount: '40.00', alreadyGrantedInMonth: '20.00', amount: '20.00' });
    });
  });

  it('keeps a JSON-only state (the aggregate-state projection stores it as JSON)', () => {
    const events = history(
      [
        [{ type: 'RequestSiteAccess', siteId: 'site-paris' }, d('2026-06-09T11:00:00+02:00')],
        [{ type: 'RecordSiteAccessObtained' }, d('2026-06-09T12:00:00+02:00')],
        [restore(), d('2026-06-09T16:00:00+02:00')],
        [grant('2026-06', '0.00'), d('2026-06-09T16:10:00+02:00')],
      ],
      openedTicket({ notifiedAt: TUE_10 }),
    );
    const state = fold(events);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    expect(state).toMatchObject({ status: 'resolved', penaltyGranted: '20.00', penalty: { computed: '20.00', tierPercentage: '20' } });
  });
});
