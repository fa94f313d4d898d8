import { Incident1764000300000 } from './1764000300000-incident';

export const INCIDENT_MIGRATIONS = [Incident1764000300000];
