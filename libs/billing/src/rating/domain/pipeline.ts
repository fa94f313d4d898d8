import type { Cdr } from './cdr-parsing';
import { type AllowanceCategory, type NumberKind, type RejectionReason, resolveDestination } from './destinations';
import { type RateCatalogue, parisParts } from './rate-table';
import { type VgaSpecialRateCatalogue, classifyVgaNumber } from './vga-numbers';

/**
 * Which price list a call was priced from: the SIP annex (SIP lines, and VGA calls to geographic,
 * mobile and international numbers), OKSIO's VGA special-number list, or none (emergency: free by law).
 */
export type CallTariff = 'annex' | 'vga_special' | 'emergency';

/** A valid CDR with its destination and the annex price in force at its start (BIL-09, CON-04). */
export interface PricedCdr extends Cdr {
  /** 'YYYY-MM', Europe/Paris. */
  billingMonth: string;
  /** 'YYYY-MM-DD', Europe/Paris: picks the line's plan in force. */
  callDate: string;
  destination: string;
  region: string | null;
  kind: NumberKind;
  calledE164: string;
  nonGeographic: boolean;
  allowanceCategory: AllowanceCategory | null;
  pricePerMinute: string;
  /** EUR HT charged once per answered call (VGA 118 directory enquiries); '0' otherwise. */
  pricePerCall: string;
  tariff: CallTariff;
  /** Year of the rate table version used (of the call itself for a free emergency call, priced by no table). */
  rateYear: number;
}

export type PriceCheck =
  | { ok: true; value: PricedCdr }
  | { ok: false; reason: Extract<RejectionReason, 'invalid_number' | 'unknown_destination' | 'no_rate_table' | 'no_vga_special_rate'>; detail: string };

type Pricing = Pick<
  PricedCdr,
  'destination' | 'region' | 'kind' | 'calledE164' | 'nonGeographic' | 'allowanceCategory' | 'pricePerMinute' | 'pricePerCall' | 'tariff' | 'rateYear'
>;

/** The CDR with its Paris dates and its pricing; explicit fields, not a spread: one object shape for every priced CDR (cheaper per call). */
function priced(cdr: Cdr, dates: { billingMonth: string; callDate: string }, p: Pricing): PriceCheck {
  return {
    ok: true,
    value: {
      callId: cdr.callId,
      subscriptionId: cdr.subscriptionId,
      lineId: cdr.lineId,
      caller: cdr.caller,
      called: cdr.called,
      startedAt: cdr.startedAt,
      durationSeconds: cdr.durationSeconds,
      billingMonth: dates.billingMonth,
      callDate: dates.callDate,
      destination: p.destination,
      region: p.region,
      kind: p.kind,
      calledE164: p.calledE164,
      nonGeographic: p.nonGeographic,
      allowanceCategory: p.allowanceCategory,
      pricePerMinute: p.pricePerMinute,
      pricePerCall: p.pricePerCall,
      tariff: p.tariff,
      rateYear: p.rateYear,
    },
  };
}

function callDates(cdr: Cdr): { year: number; billingMonth: string; callDate: string } {
  const local = parisParts(cdr.startedAt);
  const billingMonth = `${local.year}-${String(local.month).padStart(2, '0')}`;
  return { year: local.year, billingMonth, callDate: `${billingMonth}-${String(local.day).padStart(2, '0')}` };
}

/** Destination and price of one CDR, with the rate table of the call's Paris calendar year. */
export function priceCdr(cdr: Cdr, catalogue: RateCatalogue): PriceCheck {
  const dates = callDates(cdr);
  const table = catalogue.forYear(dates.year);
  if (!table) return { ok: false, reason: 'no_rate_table', detail: `no SIP rate table in force on ${dates.callDate}` };
  const resolved = resolveDestination(cdr.called, table);
  if (!resolved.ok) return resolved;
  const d = resolved.value;
  return priced(cdr, dates, {
    destination: d.destination,
    region: d.region,
    kind: d.kind,
    calledE164: d.e164,
    nonGeographic: d.nonGeographic,
    allowanceCategory: d.allowanceCategory,
    pricePerMinute: table.find(d.destination)!.pricePerMinute,
    pricePerCall: '0',
    tariff: 'annex',
    rateYear: table.year,
  });
}

/**
 * BIL-10: destination and price of a CDR of a FIXED_VGA line. Emergency numbers are free (never
 * rejected, whatever the price lists); French special numbers take OKSIO's special-number list of
 * the call's year; every other number is priced from the SIP annex exactly as `priceCdr` does.
 */
export function priceVgaCdr(cdr: Cdr, annex: RateCatalogue, specials: VgaSpecialRateCatalogue): PriceCheck {
  const number = classifyVgaNumber(cdr.called);
  if (number.type === 'annex') return priceCdr(cdr, annex);
  const dates = callDates(cdr);
  const special = { region: 'FR', kind: 'unknown' as const, calledE164: number.digits, nonGeographic: true, allowanceCategory: null };
  if (number.type === 'emergency') {
    return priced(cdr, dates, { ...special, destination: "Numéro d'urgence", pricePerMinute: '0', pricePerCall: '0', tariff: 'emergency', rateYear: dates.year });
  }
  const table = specials.forYear(dates.year);
  const price = table?.find(number.digits);
  if (!table || !price) {
    return {
      ok: false,
      reason: 'no_vga_special_rate',
      detail: table ? `no price for ${number.kind} ${number.digits} in the ${table.year} VGA special-number price list` : `no VGA special-number price list in force on ${dates.callDate}`,
    };
  }
  return priced(cdr, dates, { ...special, destination: price.label, pricePerMinute: price.perMinute, pricePerCall: price.perCall, tariff: 'vga_special', rateYear: table.year });
}
