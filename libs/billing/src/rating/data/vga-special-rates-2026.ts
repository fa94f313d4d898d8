/**
 * BIL-10 — OKSIO's price list for French special numbers called from resold analogue (FIXED_VGA)
 * lines, 2026 version.
 *
 * SEED DATA, NOT CONTRACTUAL. CP VGA 3.1 says OKSIO bills every outgoing call, special numbers
 * included, but neither the CP VGA nor the SIP annex gives a price for them. These figures are the
 * operator's configurable price list (EUR HT, all-in: communication + service), to be confirmed or
 * replaced by OKSIO; a change is a new yearly file added in data/index.ts, never an edit of a year
 * already billed.
 *
 * Prices match by the longest prefix of the national number. A special number that matches no
 * prefix here (e.g. the 10 YT operators' customer-service numbers, unassigned 083/084/085/086/088
 * ranges) is rejected as `no_vga_special_rate` and listed in GET /billing/rejected-cdrs until a price
 * is added. Emergency numbers are not here: the law makes them free (see domain/vga-numbers.ts).
 */
import type { VgaSpecialRateData } from '../domain/vga-numbers';

export const VGA_SPECIAL_RATES_2026: VgaSpecialRateData = {
  year: 2026,
  effectiveFrom: '2026-01-01',
  source: 'OKSIO special-number price list for FIXED_VGA lines (seed, configurable, not contractual)',
  rates: [
    { prefixes: ['0800', '0801', '0802', '0803', '0804', '0805'], label: 'Numéro gratuit (SVA 0800-0805)', perMinute: '0.000' },
    { prefixes: ['0806', '0807', '0808', '0809'], label: "SVA au prix d'un appel (0806-0809)", perMinute: '0.015' },
    { prefixes: ['081'], label: 'SVA payant (081)', perMinute: '0.080' },
    { prefixes: ['082'], label: 'SVA payant (082)', perMinute: '0.200' },
    { prefixes: ['089'], label: 'SVA payant (089)', perMinute: '0.800' },
    { prefixes: ['118'], label: 'Renseignements téléphoniques (118 XYZ)', perCall: '1.990', perMinute: '0.450' },
    { prefixes: ['3'], label: 'Numéro court (3BPQ)', perMinute: '0.015' },
    // Helplines whose 3BPQ numbers are free to the caller.
    { prefixes: ['3018', '3020', '3114', '3919', '3977'], label: "Numéro court gratuit (ligne d'écoute)", perMinute: '0.000' },
  ],
};
