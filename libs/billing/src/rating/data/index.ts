import { RateCatalogue, RateTable } from '../domain/rate-table';
import { VgaSpecialRateCatalogue, VgaSpecialRateTable } from '../domain/vga-numbers';
import { SIP_RATES_2026 } from './sip-rates-2026';
import { VGA_SPECIAL_RATES_2026 } from './vga-special-rates-2026';

/** Every yearly version of the SIP annex (CON-04). A new year is a new data file added here. */
export const SIP_RATE_CATALOGUE = new RateCatalogue([RateTable.from(SIP_RATES_2026)]);

/** BIL-10: every yearly version of OKSIO's special-number price list for VGA lines (seed data). */
export const VGA_SPECIAL_RATE_CATALOGUE = new VgaSpecialRateCatalogue([VgaSpecialRateTable.from(VGA_SPECIAL_RATES_2026)]);
