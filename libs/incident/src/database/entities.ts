import { LinkRow, PenaltyGrantRow, PenaltyRow, TicketReferenceRow, TicketRow } from '../tickets/ticket.entities';

export const INCIDENT_ENTITIES = [TicketRow, PenaltyRow, PenaltyGrantRow, LinkRow, TicketReferenceRow];
