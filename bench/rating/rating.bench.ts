import { getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { SIP_RATE_CATALOGUE } from '../../libs/billing/src/rating/data';
import { type Cdr, checkCdr, parseCsv } from '../../libs/billing/src/rating/domain/cdr-parsing';
import { type CallToRate, SIP_PLANS, rateLineMonth } from '../../libs/billing/src/rating/domain/charging';
import { type PricedCdr, priceCdr } from '../../libs/billing/src/rating/domain/pipeline';
import type { BenchSettings } from '../lib/settings';
import { fmt, table } from '../lib/stats';

/**
 * Benchmark 5 — SIP rating (BIL-09). The same generated CSV of CDRs is processed twice per round:
 * the baseline only parses and checks the records (CSV → validated CDRs); the rating run does the
 * same, then resolves each called number with libphonenumber-js to an annex destination, prices it
 * with the annex table of its year, groups calls by line and month and applies the plan allowances.
 * In memory, no database: what the figure shows is the cost of rating itself, per CDR.
 */
export interface RatingReport {
  cdrs: number;
  lines: number;
  rounds: number;
  baselineCdrsPerSec: number;
  ratingCdrsPerSec: number;
  /** rating / baseline throughput (≤ 1: rating includes the parse). */
  ratio: number;
  accepted: number;
  rejected: number;
  totalAmount: string;
  scenarios: ScenarioResult[];
  text: string;
}

/** Deterministic pseudo-random numbers (mulberry32): every run rates the same CDRs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERNATIONAL = ['DE', 'GB', 'ES', 'IT', 'BE', 'CH', 'US', 'MA', 'TN', 'SN', 'JP', 'CN', 'PT', 'RE', 'GP'];

/**
 * CDRs of one month for `lines` SIP lines: 55 % French fixed, 25 % French mobile, 5 % box numbers
 * (09), 15 % international mobiles (15 countries' example numbers); durations 0–65 min, skewed
 * short; 1 % negative durations (rejected).
 */
export function generateCdrCsv(count: number, lines: number, seed = 42, allDistinct = false): string {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const foreign = INTERNATIONAL.map((r) => getExampleNumber(r as never, examples)!.number as string);
  const out = ['call_id,subscription_id,line_id,caller,called,started_at,duration_seconds'];
  const monthStart = Date.UTC(2026, 2, 1);
  for (let i = 0; i < count; i++) {
    const line = Math.floor(next() * lines);
    const r = next();
    // Usual traffic calls a few hundred numbers again and again; `allDistinct` never repeats a
    // French number, so no resolution is ever reused (the worst case for the resolution cache).
    const n = (pool: number) => (allDistinct ? i : Math.floor(next() * pool));
    const called =
      r < 0.55
        ? `01${String(40000000 + n(400))}`
        : r < 0.8
          ? `06${String(10000000 + n(300))}`
          : r < 0.85
            ? `09${String(51000000 + n(100))}`
            : pick(foreign);
    const duration = r < 0.01 ? -5 : next() < 0.05 ? 3600 + Math.floor(next() * 300) : Math.floor(-Math.log(1 - next()) * 120);
    const started = new Date(monthStart + Math.floor(next() * 27 * 86400_000)).toISOString();
    out.push(`call-${i},sub-${line % 20},line-${line},03866447${String(line).padStart(2, '0')},${called},${started},${duration}`);
  }
  return out.join('\n');
}

function parseOnly(csv: string): Cdr[] {
  const cdrs: Cdr[] = [];
  for (const record of parseCsv(csv)) {
    const check = checkCdr(record);
    if (check.ok) cdrs.push(check.cdr);
  }
  return cdrs;
}

function rateAll(csv: string, lines: number): { accepted: number; rejected: number; total: bigint } {
  const groups = new Map<string, PricedCdr[]>();
  let rejected = 0;
  for (const record of parseCsv(csv)) {
    const check = checkCdr(record);
    if (!check.ok) {
      rejected++;
      continue;
    }
    const priced = priceCdr(check.cdr, SIP_RATE_CATALOGUE);
    if (!priced.ok) {
      rejected++;
      continue;
    }
    const key = `${priced.value.subscriptionId}|${priced.value.lineId}|${priced.value.billingMonth}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(priced.value);
  }
  let accepted = 0;
  let total = 0n;
  for (const [key, calls] of groups) {
    const plan = SIP_PLANS[Number(key.split('|')[1].slice(5)) % SIP_PLANS.length];
    const rated = rateLineMonth(
      calls.map(
        (c): CallToRate => ({
          callId: c.callId,
          startedAt: c.startedAt,
          durationSeconds: c.durationSeconds,
          calledE164: c.calledE164,
          destination: c.destination,
          pricePerMinute: c.pricePerMinute,
          allowanceCategory: c.allowanceCategory,
          nonGeographic: c.nonGeographic,
          plan,
        }),
      ),
      1 + (Number(key.split('|')[1].slice(5)) % Math.max(1, Math.min(3, lines))),
    );
    accepted += rated.length;
    // Micro-euros as an exact integer, so the checksum needs no float.
    for (const r of rated) total += BigInt(r.amount.amount.times(1_000_000).toFixed(0));
  }
  return { accepted, rejected, total };
}

interface ScenarioResult {
  name: string;
  distinctCalled: number;
  baselineCdrsPerSec: number;
  ratingCdrsPerSec: number;
  ratio: number;
  accepted: number;
  rejected: number;
  totalAmount: string;
}

function measure(name: string, csv: string, count: number, lines: number, rounds: number, log: (line: string) => void): ScenarioResult {
  let bestParse = Infinity;
  let bestRate = Infinity;
  let result = { accepted: 0, rejected: 0, total: 0n };
  for (let round = 1; round <= rounds; round++) {
    let t0 = process.hrtime.bigint();
    const parsed = parseOnly(csv);
    const parseSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    t0 = process.hrtime.bigint();
    result = rateAll(csv, lines);
    const rateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    bestParse = Math.min(bestParse, parseSeconds);
    bestRate = Math.min(bestRate, rateSeconds);
    log(`  ${name}, round ${round}: parse only ${fmt(count / parseSeconds)} CDRs/s (${parsed.length} valid), parse + rate ${fmt(count / rateSeconds)} CDRs/s`);
  }
  const distinctCalled = new Set(csv.split('\n').map((l) => l.split(',')[4])).size - 1;
  const whole = result.total / 1_000_000n;
  const fraction = (result.total % 1_000_000n).toString().padStart(6, '0');
  return {
    name,
    distinctCalled,
    baselineCdrsPerSec: count / bestParse,
    ratingCdrsPerSec: count / bestRate,
    ratio: bestParse / bestRate,
    accepted: result.accepted,
    rejected: result.rejected,
    totalAmount: `${whole}.${fraction}`,
  };
}

export async function runRatingBench(settings: BenchSettings, log: (line: string) => void): Promise<RatingReport> {
  const count = settings.scale === 'full' ? 500_000 : 100_000;
  const lines = 200;
  const rounds = settings.scale === 'full' ? 5 : 3;
  log(`  generating ${fmt(count)} CDRs for ${lines} lines (CSV, fixed seed), twice: usual traffic and every number distinct…`);
  const usual = generateCdrCsv(count, lines);
  const distinct = generateCdrCsv(count, lines, 42, true);
  log(`  CSV: ${fmt(usual.length / 1024 / 1024, 1)} MB`);
  // Warm-up: JIT, libphonenumber metadata, ICU display names.
  rateAll(generateCdrCsv(5_000, lines, 7), lines);
  parseOnly(generateCdrCsv(5_000, lines, 7));

  const scenarios = [measure('usual traffic', usual, count, lines, rounds, log), measure('all numbers distinct', distinct, count, lines, rounds, log)];
  const rows = scenarios.flatMap((r) => [
    [`${r.name} (${fmt(r.distinctCalled)} numbers): parse + check only`, fmt(r.baselineCdrsPerSec), fmt(1e6 / r.baselineCdrsPerSec, 2), '1.00'],
    [`${r.name}: parse + check + destination + price + allowances`, fmt(r.ratingCdrsPerSec), fmt(1e6 / r.ratingCdrsPerSec, 2), fmt(r.ratio, 2)],
  ]);
  const text = table([`run (best of ${rounds})`, 'CDRs/s', 'µs/CDR', 'ratio to baseline'], rows);
  const [main] = scenarios;
  return {
    cdrs: count,
    lines,
    rounds,
    baselineCdrsPerSec: main.baselineCdrsPerSec,
    ratingCdrsPerSec: main.ratingCdrsPerSec,
    ratio: main.ratio,
    accepted: main.accepted,
    rejected: main.rejected,
    totalAmount: main.totalAmount,
    scenarios,
    text: `${text}\n\n${scenarios.map((r) => `  ${r.name}: rated ${fmt(r.accepted)} calls, rejected ${fmt(r.rejected)}; total ${r.totalAmount} € HT (exact)`).join('\n')}`,
  };
}
