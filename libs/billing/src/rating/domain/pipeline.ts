import type { Cdr } from './cdr-parsing';
import { type AllowanceCategory, type NumberKind, type RejectionReason, resolveDestination } from './destinations';
import { type RateCatalogue, parisParts } from './rate-table';

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
  /** Year of the rate table version used. */
  rateYear: number;
}

export type PriceCheck = { ok: true; value: PricedCdr } | { ok: false; reason: Extract<RejectionReason, 'invalid_number' | 'unknown_destination' | 'no_rate_table'>; detail: string };

/** Destination and price of one CDR, with the rate table of the call's Paris calendar year. */
export function priceCdr(cdr: Cdr, catalogue: RateCatalogue): PriceCheck {
  const local = parisParts(cdr.startedAt);
  const billingMonth = `${local.year}-${String(local.month).padStart(2, '0')}`;
  const callDate = `${billingMonth}-${String(local.day).padStart(2, '0')}`;
  const table = catalogue.forYear(local.year);
  if (!table) return { ok: false, reason: 'no_rate_table', detail: `no SIP rate table in force on ${callDate}` };
  const resolved = resolveDestination(cdr.called, table);
  if (!resolved.ok) return resolved;
  const d = resolved.value;
  return {
    ok: true,
    // Explicit fields rather than a spread: one object shape for every priced CDR (cheaper per call).
    value: {
      callId: cdr.callId,
      subscriptionId: cdr.subscriptionId,
      lineId: cdr.lineId,
      caller: cdr.caller,
      called: cdr.called,
      startedAt: cdr.startedAt,
      durationSeconds: cdr.durationSeconds,
      billingMonth,
      callDate,
      destination: d.destination,
      region: d.region,
      kind: d.kind,
      calledE164: d.e164,
      nonGeographic: d.nonGeographic,
      allowanceCategory: d.allowanceCategory,
      pricePerMinute: table.find(d.destination)!.pricePerMinute,
      rateYear: table.year,
    },
  };
}
