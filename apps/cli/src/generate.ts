import { createHash } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { deterministicId } from '@oksio/kernel';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from '@oksio/event-store';
import {
  type ContactInput,
  type ContactRole,
  type CustomerEvent,
  customerDecider,
  customerStream,
  type OrderItemInput,
  type ServiceKind,
  type SubscriptionCommand,
  type SubscriptionEvent,
  subscriptionDecider,
  TERMS_CATALOGUE,
} from '@oksio/subscription';
import { PiiVault } from '@oksio/privacy';
import type { CliContext } from './context';
import { progressBar } from './progress';

/**
 * `oksio generate --subscriptions N [--customers M] [--seed S]`: a realistic data set written
 * **through the event-store port**, as the application would have written it over the years:
 * customers (valid SIRETs, French addresses, a signatory and other contacts whose details are
 * encrypted by the personal-data vault) and subscriptions whose histories are produced by the
 * subscription decider itself (order → feasibility → signature → activation, with refusals and
 * contracts still in progress), each event dated at its business time.
 *
 * Deterministic for a seed: ids and every choice derive from (seed, entity number), whatever the
 * concurrency. Re-running with the same seed skips the streams that already exist. Each aggregate
 * is one append (its whole history, expected revision `no_stream`); `concurrency` appends run at
 * once. The read models follow when a worker runs (or `projections rebuild <name>`).
 */

export interface GenerateOptions {
  subscriptions: number;
  /** Default: one customer per 4 subscriptions (at least 1). */
  customers?: number;
  seed?: number;
  /** Concurrent appends (default 8). */
  concurrency?: number;
  /** Histories end before this instant (default: the runtime clock). */
  now: Date;
  /** Years of history before `now` (default 4). */
  years?: number;
  onProgress?: (aggregatesDone: number) => void;
}

export interface GenerateReport {
  customers: number;
  subscriptions: number;
  /** Streams written by this run (those already present are skipped). */
  streamsWritten: number;
  streamsSkipped: number;
  events: number;
  eventsByType: Record<string, number>;
  subscriptionsByOutcome: Record<string, number>;
  subscriptionsByService: Record<string, number>;
  seconds: number;
}

export interface GenerateDeps {
  store: EventStore;
  /** Encrypts a contact's details (the PiiVault in the application). */
  protect: (subject: string, category: 'identity_contact', value: unknown) => Promise<Record<string, unknown>>;
}

// ------------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: small, fast, good enough for synthetic data; seeded per entity. */
export function rngFor(seed: number, ...parts: Array<string | number>): () => number {
  let a = createHash('sha256').update(`${seed}\u001f${parts.join('\u001f')}`).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: () => number, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: () => number, values: readonly T[]): T => values[Math.floor(rng() * values.length)];
function weighted<T>(rng: () => number, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let roll = rng() * total;
  for (const [value, w] of entries) if ((roll -= w) < 0) return value;
  return entries[entries.length - 1][0];
}

// ------------------------------------------------------------------------------------------------
// French-looking business data

const TRADES = ['Boulangerie', 'Cabinet', 'Garage', 'Pharmacie', 'Transports', 'Menuiserie', 'Clinique', 'Agence', 'Imprimerie', 'Hôtel', 'Librairie', 'Laboratoire', 'Étude notariale', 'Plomberie', 'Brasserie', 'Atelier'];
const NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Légaré'];
const FORMS = ['SARL', 'SAS', 'SA', 'EURL', 'SASU', 'SCP', 'SNC'];
const FIRST_NAMES = ['Jeanne', 'Louis', 'Camille', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Nathan', 'Léa', 'Gabriel', 'Inès', 'Jules', 'Zoé', 'Arthur', 'Élise', 'Théo'];
const STREETS = ['rue de la République', 'avenue Jean Jaurès', 'boulevard Victor Hugo', 'rue Nationale', 'place de la Mairie', 'rue du Général de Gaulle', 'chemin des Vignes', 'rue Pasteur', 'allée des Tilleuls', 'quai Saint-Antoine'];
const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['75002', 'Paris'],
  ['69002', 'Lyon'],
  ['13001', 'Marseille'],
  ['31000', 'Toulouse'],
  ['33000', 'Bordeaux'],
  ['59000', 'Lille'],
  ['44000', 'Nantes'],
  ['67000', 'Strasbourg'],
  ['57000', 'Metz'],
  ['35000', 'Rennes'],
  ['06000', 'Nice'],
  ['21000', 'Dijon'],
  ['97400', 'Saint-Denis'],
];
const DATA_PLANS = ['SDSL-2M', 'SDSL-4M', 'SDSL-8M', 'FTTO-100M', 'FTTO-1G', 'FTTH-PRO-500M'];

/** A SIRET: 13 random digits and the Luhn check digit (what isValidSiret accepts). */
function siret(rng: () => number): string {
  const digits = Array.from({ length: 13 }, () => int(rng, 0, 9));
  digits[0] = int(rng, 1, 9);
  for (let check = 0; check <= 9; check++) {
    const all = [...digits, check];
    let sum = 0;
    for (let i = 0; i < all.length; i++) {
      let d = all[all.length - 1 - i];
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return all.join('');
  }
  throw new Error('unreachable');
}

const phone = (rng: () => number, prefix: string) => `${prefix}${String(int(rng, 0, 99_999_999)).padStart(8, '0')}`;
/** Decimal string from integer cents: no floating-point arithmetic on money. */
const euros = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

const DAY = 86_400_000;
/** 10:00 UTC is the same Paris calendar day whatever the DST offset (as the domain fixtures do). */
const at = (day: number) => new Date(day * DAY + 10 * 3_600_000);
const localDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);

/**
 * The first day a contract of `service` can be signed: general and particular terms must be in
 * force (CON-01), so no order is quoted before the catalogue's first versions.
 */
function termsStartDay(service: ServiceKind): number {
  const first = (versions: Array<{ effectiveFrom: string }>) => Math.min(...versions.map((v) => dayOf(v.effectiveFrom)));
  const cp = TERMS_CATALOGUE.particularTerms[service] ?? [];
  return Math.max(first(TERMS_CATALOGUE.generalTerms), cp.length ? first(cp) : -Infinity);
}

// ------------------------------------------------------------------------------------------------

interface Planned {
  streamId: string;
  events: NewEvent[];
}

function metadataFor(occurredAt: Date, correlationId: string): NewEvent['metadata'] {
  return { occurredAt: occurredAt.toISOString(), actor: { id: 'generator', role: 'system' }, correlationId, causationId: null, commandId: null, reason: null };
}

export function customerIdOf(seed: number, index: number): string {
  return deterministicId('generate', String(seed), 'customer', String(index));
}

export function subscriptionIdOf(seed: number, index: number): string {
  return deterministicId('generate', String(seed), 'subscription', String(index));
}

/** The day (days since epoch) customer `index` registered: spread over the history window. */
function registrationDay(seed: number, index: number, firstDay: number, lastDay: number): number {
  return int(rngFor(seed, 'customer-day', index), firstDay, lastDay);
}

async function planCustomer(deps: GenerateDeps, seed: number, index: number, day: number): Promise<Planned> {
  const rng = rngFor(seed, 'customer', index);
  const customerId = customerIdOf(seed, index);
  const name = pick(rng, NAMES);
  const [postalCode, city] = pick(rng, CITIES);
  const roles: ContactRole[] = ['signatory', ...Array.from({ length: int(rng, 0, 2) }, () => pick(rng, ['technical', 'billing', 'other'] as const))];
  const contacts: ContactInput[] = [];
  for (let c = 0; c < roles.length; c++) {
    const contactId = deterministicId('generate', String(seed), 'contact', String(index), String(c));
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, NAMES);
    const details = await deps.protect(`contact-${contactId}`, 'identity_contact', {
      name: `${first} ${last}`,
      email: `${first}.${last}@${name.toLowerCase()}-${index}.example.fr`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(),
      phone: phone(rng, pick(rng, ['06', '07', '01', '04'])),
    });
    contacts.push({ contactId, role: roles[c], authorisedForSupport: roles[c] !== 'billing' || rng() < 0.3, details });
  }
  const now = at(day);
  const events = customerDecider.decide(
    {
      type: 'RegisterCustomer',
      customerId,
      companyName: `${pick(rng, TRADES)} ${name} ${pick(rng, FORMS)}`,
      siret: siret(rng),
      billingAddress: { line1: `${int(rng, 1, 180)} ${pick(rng, STREETS)}`, postalCode, city, country: 'FR' },
      contacts,
    },
    customerDecider.initialState,
    now,
  );
  return { streamId: customerStream(customerId), events: events.map((e: CustomerEvent) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: metadataFor(now, customerId) })) };
}

const SERVICES: ReadonlyArray<readonly [ServiceKind, number]> = [
  ['MOBILE', 35],
  ['DATA', 30],
  ['FIXED_SIP', 15],
  ['FIXED_VGA', 10],
  ['HOSTED_PBX', 10],
];

function itemsFor(rng: () => number, service: ServiceKind, index: number): OrderItemInput[] {
  const count = { MOBILE: int(rng, 1, 12), DATA: int(rng, 1, 3), FIXED_SIP: int(rng, 1, 6), FIXED_VGA: int(rng, 1, 2), HOSTED_PBX: 1 }[service];
  return Array.from({ length: count }, (_, i) => {
    switch (service) {
      case 'MOBILE':
        return { itemId: `line-${i + 1}`, label: phone(rng, pick(rng, ['06', '07'])) };
      case 'DATA': {
        const [, city] = pick(rng, CITIES);
        return { itemId: `link-${i + 1}`, label: `Lien ${city} ${i + 1}`, plan: pick(rng, DATA_PLANS) };
      }
      case 'HOSTED_PBX':
        return { itemId: 'pbx', label: `Standard hébergé ${index}`, plan: pick(rng, ['PBX-10', 'PBX-50', 'PBX-200']) };
      default:
        return { itemId: `line-${i + 1}`, label: phone(rng, pick(rng, ['01', '02', '03', '04', '05'])) };
    }
  });
}

export type Outcome = 'refused' | 'awaiting_feasibility' | 'signed' | 'active';

/** One subscription's history, decided command by command by the subscription decider. */
function planSubscription(seed: number, index: number, customers: number, firstDay: number, today: number): { planned: Planned; outcome: Outcome; service: ServiceKind } {
  const rng = rngFor(seed, 'subscription', index);
  const customerIndex = index < customers ? index : int(rng, 0, customers - 1);
  const customerId = customerIdOf(seed, customerIndex);
  const subscriptionId = subscriptionIdOf(seed, index);
  const service = weighted(rng, SERVICES);
  const items = itemsFor(rng, service, index);
  const registered = registrationDay(seed, customerIndex, firstDay, today - 60);
  // Quoted after the customer registered and once the terms are in force; at least 45 days ago.
  const quoteDay = Math.min(Math.max(registered + int(rng, 0, 365), termsStartDay(service) + int(rng, 0, 30)), today - 45);
  const wanted = weighted<Outcome>(rng, [
    ['active', 88],
    ['signed', 5],
    ['awaiting_feasibility', 3],
    ['refused', 4],
  ]);
  const steps: Array<[SubscriptionCommand, number]> = [
    [{ type: 'PlaceOrder', subscriptionId, customerId, service, items, quoteDate: localDate(quoteDay), orderAmount: euros(int(rng, 0, 250_000)) }, quoteDay],
  ];
  // Each step happens only if its day is already past (a young order is still in progress).
  const feasibilityDay = quoteDay + int(rng, 1, 10);
  let outcome: Outcome = 'awaiting_feasibility';
  if (wanted === 'refused' && feasibilityDay < today) {
    steps.push([{ type: 'RecordFeasibilityResult', feasible: false, reason: 'Raccordement impossible : pas de ressource disponible', studyReference: `EF-${index}` }, feasibilityDay]);
    outcome = 'refused';
  } else if (wanted !== 'awaiting_feasibility' && wanted !== 'refused' && feasibilityDay < today) {
    steps.push([{ type: 'RecordFeasibilityResult', feasible: true, studyReference: `EF-${index}` }, feasibilityDay]);
    const signedDay = feasibilityDay + int(rng, 1, 15);
    if (signedDay < today && signedDay >= termsStartDay(service)) {
      steps.push([{ type: 'SignSubscription', signedOn: localDate(signedDay) }, signedDay]);
      outcome = 'signed';
      const activatedDay = Math.min(signedDay + int(rng, 3, 40), today - 1);
      if (wanted === 'active' && activatedDay > signedDay) {
        if (service === 'MOBILE') {
          for (const item of items) steps.push([{ type: 'ActivateMobileLine', lineId: item.itemId, simActivatedOn: localDate(activatedDay) }, activatedDay]);
        } else {
          steps.push([{ type: 'ActivateService', activatedOn: localDate(activatedDay) }, activatedDay]);
        }
        outcome = 'active';
      }
    }
  }
  let state = subscriptionDecider.initialState;
  const events: NewEvent[] = [];
  for (const [command, day] of steps) {
    const now = at(day);
    for (const e of subscriptionDecider.decide(command, state, now) as SubscriptionEvent[]) {
      state = subscriptionDecider.evolve(state, e);
      events.push({ type: e.type, data: e.data as Record<string, unknown>, metadata: metadataFor(now, subscriptionId) });
    }
  }
  return { planned: { streamId: `subscription-${subscriptionId}`, events }, outcome, service };
}

export async function generateDataset(deps: GenerateDeps, options: GenerateOptions): Promise<GenerateReport> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const subscriptions = options.subscriptions;
  const customers = options.customers ?? Math.max(1, Math.ceil(subscriptions / 4));
  const concurrency = options.concurrency ?? 8;
  const today = Math.floor(options.now.getTime() / DAY) - 1;
  const firstDay = today - Math.round((options.years ?? 4) * 365);
  if (today - 60 <= firstDay) throw new Error('the history window is too short');

  const report: GenerateReport = {
    customers,
    subscriptions,
    streamsWritten: 0,
    streamsSkipped: 0,
    events: 0,
    eventsByType: {},
    subscriptionsByOutcome: {},
    subscriptionsByService: {},
    seconds: 0,
  };
  let done = 0;
  const write = async (planned: Planned) => {
    try {
      await deps.store.append(planned.streamId, planned.events, { expectedRevision: 'no_stream' });
      report.streamsWritten++;
      report.events += planned.events.length;
      for (const e of planned.events) report.eventsByType[e.type] = (report.eventsByType[e.type] ?? 0) + 1;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      report.streamsSkipped++; // written by an earlier run with this seed
    }
    options.onProgress?.(++done);
  };
  // Customers first (a subscription names an existing customer), then subscriptions.
  const jobs: Array<() => Promise<void>> = [];
  for (let i = 0; i < customers; i++) {
    jobs.push(async () => write(await planCustomer(deps, seed, i, registrationDay(seed, i, firstDay, today - 60))));
  }
  const boundary = jobs.length;
  for (let j = 0; j < subscriptions; j++) {
    jobs.push(async () => {
      const { planned, outcome, service } = planSubscription(seed, j, customers, firstDay, today);
      report.subscriptionsByOutcome[outcome] = (report.subscriptionsByOutcome[outcome] ?? 0) + 1;
      report.subscriptionsByService[service] = (report.subscriptionsByService[service] ?? 0) + 1;
      await write(planned);
    });
  }
  for (const [from, to] of [
    [0, boundary],
    [boundary, jobs.length],
  ]) {
    let next = from;
    const lane = async () => {
      while (next < to) await jobs[next++]();
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, to - from)) }, lane));
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

// ------------------------------------------------------------------------------------------------
// CLI

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected an integer');
  return Number(value);
}

export function registerGenerateCommand(program: Command, open: () => Promise<CliContext>): void {
  program
    .command('generate')
    .description('Writes a realistic data set (customers, subscriptions signed and activated by the deciders) through the event store')
    .requiredOption('--subscriptions <n>', 'number of subscriptions', positiveInteger)
    .option('--customers <m>', 'number of customers (default: subscriptions / 4)', positiveInteger)
    .option('--seed <s>', 'seed: the same seed gives the same data set', integer, 1)
    .option('--concurrency <c>', 'concurrent appends', positiveInteger, 8)
    .option('--years <y>', 'years of history before now', positiveInteger, 4)
    .action(async (opts: { subscriptions: number; customers?: number; seed: number; concurrency: number; years: number }) => {
      const cli = await open();
      try {
        const vault = cli.app.get(PiiVault);
        const customers = opts.customers ?? Math.max(1, Math.ceil(opts.subscriptions / 4));
        const bar = progressBar('generate', customers + opts.subscriptions);
        const report = await generateDataset(
          { store: cli.runtime.store, protect: async (subject, category, value) => (await vault.protect(subject, category, value)) as unknown as Record<string, unknown> },
          { ...opts, customers, now: cli.runtime.clock.now(), onProgress: (n) => bar.update(n) },
        );
        bar.stop();
        process.stdout.write(
          `generated ${report.customers} customers and ${report.subscriptions} subscriptions (seed ${opts.seed}): ` +
            `${report.events} events in ${report.streamsWritten} streams, ${report.streamsSkipped} streams already present, ` +
            `${report.seconds.toFixed(1)} s (${Math.round(report.events / Math.max(report.seconds, 0.001))} events/s)\n` +
            `${JSON.stringify({ subscriptionsByOutcome: report.subscriptionsByOutcome, subscriptionsByService: report.subscriptionsByService, eventsByType: report.eventsByType }, null, 2)}\n`,
        );
      } finally {
        await cli.close();
      }
    });
}
