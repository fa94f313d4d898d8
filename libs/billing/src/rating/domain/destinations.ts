import { type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { RateTable } from './rate-table';

/**
 * BIL-09: the annex destination of a called number. The country and the kind of number (fixed,
 * mobile, premium, shared-cost, VoIP…) come from libphonenumber-js's full metadata (the ITU/national
 * numbering plans it tracks), never from a prefix table of our own. What remains ours is the naming:
 * the annex names destinations in French ("Allemagne - Mobile"), so a region's French name comes from
 * ICU (`Intl.DisplayNames`) and the few names the annex spells differently are aliased below.
 */

/** What the allowances of BIL-09 distinguish. */
export type AllowanceCategory = 'fr_fixed' | 'fr_mobile';

export type NumberKind =
  | 'fixed'
  | 'mobile'
  | 'fixed_or_mobile'
  | 'premium'
  | 'shared_cost'
  | 'toll_free'
  | 'voip'
  | 'personal'
  | 'uan'
  | 'pager'
  | 'voicemail'
  | 'global_service'
  | 'unknown';

export interface ResolvedDestination {
  /** The annex destination, as printed there ("France - Mobile", "Japon - IP Phone"). */
  destination: string;
  /** ISO 3166 region of the number, null for global services (+870, +881, +888…). */
  region: string | null;
  callingCode: string;
  kind: NumberKind;
  /** E.164 form: the identity of a called number when counting distinct numbers. */
  e164: string;
  /**
   * CP SIP 3.4: a French number of the national plan that is not geographic — 08 special numbers and
   * 09 / 087 "box" numbers. Never part of an allowance. (Mobiles 06/07 are listed apart by the CP.)
   */
  nonGeographic: boolean;
  /** French metropolitan fixed (01–05) or mobile (06/07) number: what SIP_OK_PLUS / SIP_OKSIO may include. */
  allowanceCategory: AllowanceCategory | null;
}

export type RejectionReason =
  | 'unparseable'
  | 'negative_duration'
  | 'invalid_number'
  | 'unknown_destination'
  | 'no_rate_table'
  | 'unknown_line'
  | 'line_not_active'
  | 'no_sip_plan'
  /** BIL-10: a special number called from a VGA line that OKSIO's special-number price list does not price. */
  | 'no_vga_special_rate'
  | 'duplicate';

export type Resolution =
  | { ok: true; value: ResolvedDestination }
  | { ok: false; reason: Extract<RejectionReason, 'invalid_number' | 'unknown_destination'>; detail: string };

const KIND: Record<NumberType & string, NumberKind> = {
  FIXED_LINE: 'fixed',
  MOBILE: 'mobile',
  FIXED_LINE_OR_MOBILE: 'fixed_or_mobile',
  PREMIUM_RATE: 'premium',
  SHARED_COST: 'shared_cost',
  TOLL_FREE: 'toll_free',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal',
  UAN: 'uan',
  PAGER: 'pager',
  VOICEMAIL: 'voicemail',
};

/**
 * Regions whose annex name differs from ICU's French name, and regions the annex prices under
 * another destination because they share its numbering plan (Saint-Barthélemy and Saint-Martin
 * use +590 like Guadeloupe; Curaçao, Sint Maarten and the Caribbean Netherlands are the former
 * Antilles néerlandaises; Åland dials as Finland, Svalbard as Norway, Christmas and Cocos Islands
 * as Australia, Western Sahara as Morocco, Tristan da Cunha as Saint Helena).
 */
const REGION_ALIASES: Record<string, string> = {
  BL: 'Guadeloupe',
  MF: 'Guadeloupe',
  BQ: 'Antilles Néerlandaises',
  CW: 'Antilles Néerlandaises',
  SX: 'Antilles Néerlandaises',
  AX: 'Finlande',
  SJ: 'Norvège',
  CC: 'Australie',
  CX: 'Australie',
  EH: 'Maroc',
  TA: 'Ile Sainte-Hélène',
  SH: 'Ile Sainte-Hélène',
  CD: 'Rép. dém. du congo',
  CF: 'Rép. centrafricaine',
  CG: 'Congo',
  CZ: 'République Tchèque',
  DO: 'Rép. dominicaine',
  FK: 'Iles Falkland',
  GG: 'Iles anglo-normandes',
  JE: 'Iles anglo-normandes',
  HK: 'Hong-Kong',
  MO: 'Macao',
  IO: 'Diego-Garcia',
  KG: 'Kirghizistan',
  KN: 'St-Kitts-et-Nevis',
  MK: 'Macédoine',
  MM: 'Myanmar',
  MP: 'Iles des Mariannes du Nord',
  PM: 'Saint Pierre et Miquelon',
  PS: 'Palestine',
  RE: 'Réunion',
  SM: 'St-Marin',
  SR: 'Surinam',
  SS: 'Sud Soudan',
  SV: 'El Salvador',
  SZ: 'Swaziland',
  TC: 'Iles Turks et Caïques',
  TT: 'Trinité et Tobago',
  VA: 'Vatican',
  VC: 'St-Vincent-et-les-Grenadines',
  VI: 'Iles Vierges Américaines',
  WF: 'Wallis et Futuna',
};

/**
 * Destinations the annex prices below country level, defined by the national plans' area codes:
 * Alaska (US area code 907), Hawaii (808), the Azores (PT 292, 295, 296), Madeira (PT 291) and
 * Northern Cyprus (reached through Turkey's +90 392). Fixed numbers only: their mobiles are numbered
 * in the country's mobile ranges and rated as that country's mobiles.
 */
const SUBNATIONAL: Array<{ region: string; areaCodes: string[]; destination: string }> = [
  { region: 'US', areaCodes: ['907'], destination: 'Alaska' },
  { region: 'US', areaCodes: ['808'], destination: 'Hawaï' },
  { region: 'PT', areaCodes: ['292', '295', '296'], destination: 'Açores' },
  { region: 'PT', areaCodes: ['291'], destination: 'Madère' },
  { region: 'TR', areaCodes: ['392'], destination: 'Chypre Nord' },
];

/**
 * Global services (ITU country codes without a region): the Inmarsat SNAC +870, Iridium (+881 6/7)
 * and Thuraya (+882 16), other satellite and international networks (+881, +882) and the United
 * Nations OCHA (+888).
 */
function globalService(callingCode: string, national: string): string | null {
  if (callingCode === '888') return 'Nations Unies';
  if (callingCode === '881') return /^[67]/.test(national) ? 'Satellite - Iridium' : 'Satellite';
  if (callingCode === '882') return national.startsWith('16') ? 'Satellite - Thuraya' : 'Satellite';
  if (callingCode === '870') return 'Satellite';
  return null;
}

let displayNames: Intl.DisplayNames | null = null;
function frenchName(region: string): string {
  displayNames ??= new Intl.DisplayNames(['fr'], { type: 'region' });
  return REGION_ALIASES[region] ?? displayNames.of(region) ?? region;
}

/** Digits, spaces, dots, dashes, slashes and parentheses, with an optional leading + (or 00). */
const DIALLABLE = /^\+?[\d\s().\/-]{2,40}$/;

/**
 * Resolves a called number (French national form, +E.164 or 00-international) to an annex
 * destination of `table`. A number the plans do not know is `invalid_number`; a valid number whose
 * destination the annex does not price (e.g. French 08 special numbers, Tonga) is `unknown_destination`.
 */
export function resolveDestination(called: string, table: RateTable): Resolution {
  let cache = resolutions.get(table);
  if (!cache) resolutions.set(table, (cache = new Map()));
  const hit = cache.get(called);
  if (hit) return hit;
  const resolution = resolve(called, table);
  if (resolution.ok) Object.freeze(resolution.value);
  if (cache.size >= RESOLUTION_CACHE_LIMIT) cache.clear();
  cache.set(called, Object.freeze(resolution));
  return resolution;
}

/**
 * Resolutions per rate table and written number: a business calls the same numbers again and
 * again, and the metadata lookup is the costliest step of rating. Pure function, so caching is safe;
 * bounded so that memory stays flat.
 */
const resolutions = new WeakMap<RateTable, Map<string, Resolution>>();
const RESOLUTION_CACHE_LIMIT = 100_000;

function resolve(called: string, table: RateTable): Resolution {
  const raw = called.trim();
  if (!DIALLABLE.test(raw)) return { ok: false, reason: 'invalid_number', detail: 'the called number is not a telephone number' };
  const parsed = parsePhoneNumberFromString(raw.startsWith('00') ? `+${raw.slice(2)}` : raw, 'FR');
  if (!parsed) return { ok: false, reason: 'invalid_number', detail: 'the called number is not a telephone number' };
  const region = parsed.country ?? null;
  const national = parsed.nationalNumber as string;
  const callingCode = parsed.countryCallingCode as string;
  let kind: NumberKind;
  if (parsed.isValid()) {
    const type = parsed.getType();
    kind = region === null ? 'global_service' : type ? KIND[type] : 'unknown';
  } else if (region === 'FR' && /^87\d{7}$/.test(national)) {
    // CP SIP 3.4 names 087 box numbers among the non-geographic numbers; the metadata lists no
    // allocated 087 range, so the seed's own example is honoured here.
    kind = 'voip';
  } else if (region === null && globalService(callingCode, national)) {
    kind = 'global_service';
  } else {
    return { ok: false, reason: 'invalid_number', detail: `not a valid number of the ${region ?? `+${callingCode}`} numbering plan` };
  }

  const unknown = (name: string): Resolution => ({ ok: false, reason: 'unknown_destination', detail: `the annex has no rate for ${name}` });
  let destination: string;
  if (region === null) {
    const service = globalService(callingCode, national);
    if (!service) return unknown(`+${callingCode}`);
    destination = service;
  } else {
    const subnational =
      kind === 'fixed' || kind === 'fixed_or_mobile' ? SUBNATIONAL.find((s) => s.region === region && s.areaCodes.some((c) => national.startsWith(c))) : undefined;
    const base = subnational?.destination ?? frenchName(region);
    destination = pickVariant(base, region, kind, table) ?? '';
    if (!destination) return unknown(`${base} (${kind.replace(/_/g, ' ')} number)`);
  }
  const rate = table.find(destination);
  if (!rate) return unknown(destination);

  const nonGeographic = region === 'FR' && /^[89]/.test(national);
  const allowanceCategory: AllowanceCategory | null =
    region === 'FR' && !nonGeographic ? (kind === 'fixed' ? 'fr_fixed' : kind === 'mobile' ? 'fr_mobile' : null) : null;
  return {
    ok: true,
    value: { destination: rate.destination, region, callingCode, kind, e164: `+${callingCode}${national}`, nonGeographic, allowanceCategory },
  };
}

/**
 * The annex line for a kind of number: "<country> - Mobile" for mobiles, "<country> - Premium" for
 * premium-rate numbers, "<country> - IP Phone" for VoIP where the annex has one, the country
 * otherwise. Premium numbers without a premium line are not priced by the annex (null), nor are
 * French special numbers (08: toll-free, shared-cost, premium), whose tariffs the annex omits.
 * French VoIP / box numbers (09, 087) are priced as "France".
 */
function pickVariant(base: string, region: string, kind: NumberKind, table: RateTable): string | null {
  const variant = (suffix: string) => (table.find(`${base} - ${suffix}`) ? `${base} - ${suffix}` : null);
  switch (kind) {
    case 'mobile':
      return variant('Mobile') ?? base;
    case 'premium':
      return variant('Premium');
    case 'voip':
      return variant('IP Phone') ?? base;
    case 'toll_free':
    case 'shared_cost':
    case 'uan':
      return region === 'FR' ? null : base;
    default:
      return base;
  }
}
