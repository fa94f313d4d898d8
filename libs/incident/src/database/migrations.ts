import { Incident1764000300000 } from './1764000300000-incident';
import { SealedTicketTexts1764000300100 } from './1764000300100-sealed-ticket-texts';

export const INCIDENT_MIGRATIONS = [Incident1764000300000, SealedTicketTexts1764000300100];
