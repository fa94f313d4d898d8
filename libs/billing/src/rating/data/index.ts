import { RateCatalogue, RateTable } from '../domain/rate-table';
import { SIP_RATES_2026 } from './sip-rates-2026';

/** Every yearly version of the SIP annex (CON-04). A new year is a new data file added here. */
export const SIP_RATE_CATALOGUE = new RateCatalogue([RateTable.from(SIP_RATES_2026)]);
