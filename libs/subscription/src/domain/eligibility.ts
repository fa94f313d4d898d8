/**
 * Eligibility of an access before it is ordered (SUB-17, SUB-18). Pure checks over the facts a
 * line test or the incumbent returns; every reason is kept (not only the first) so the client sees
 * all that blocks the order.
 */
export interface EligibilityReason {
  code: string;
  rule: 'SUB-17' | 'SUB-18';
}

export interface EligibilityResult {
  eligible: boolean;
  reasons: EligibilityReason[];
}

/** The state of the access at the incumbent (CP VGA 3.1 / CP SIP 3.3). */
export type AccessStatus = 'in_service' | 'being_created' | 'being_terminated' | 'being_renumbered' | 'being_moved';
export type NumerisOffer = 'NUMERIS_T2' | 'NUMERIS_DUO' | 'NUMERIS_COMMERCE' | 'NUMERIS_ITOO';

export interface FixedLineFacts {
  orangeInternalPost?: boolean;
  /** "accès (ligne) corps d'un groupement technique". */
  groupHeadLine?: boolean;
  accessStatus?: AccessStatus;
  temporaryAccess?: boolean;
  cabinOrPayphone?: boolean;
  /** Numéris offers present on the site (the whole site is then excluded). */
  siteNumerisOffers?: NumerisOffer[];
}

/** SUB-17: fixed-line resale (FIXED_VGA / FIXED_SIP) is refused on these accesses and sites. */
export function checkFixedLineEligibility(facts: FixedLineFacts): EligibilityResult {
  const codes: string[] = [];
  if (facts.orangeInternalPost) codes.push('orange_internal_post');
  if (facts.groupHeadLine) codes.push('group_head_line');
  if (facts.accessStatus && facts.accessStatus !== 'in_service') codes.push(`access_${facts.accessStatus}`);
  if (facts.temporaryAccess) codes.push('temporary_access');
  if (facts.cabinOrPayphone) codes.push('cabin_or_payphone');
  for (const offer of new Set(facts.siteNumerisOffers ?? [])) codes.push(`site_with_${offer.toLowerCase()}`);
  return { eligible: codes.length === 0, reasons: codes.map((code) => ({ code, rule: 'SUB-17' })) };
}

export interface DataLineFacts {
  /** The site's commune is served by a NRA where OKSIO provides the service (CP Data 2). */
  inDslCoverage: boolean;
  /** No end-to-end metallic continuity, e.g. a radio segment. */
  radioSegment?: boolean;
  /** Active or passive equipment processing the signal. */
  signalProcessingEquipment?: boolean;
  automaticSubDistribution?: boolean;
  lineGroup?: boolean;
  nonPermanentTerminal?: boolean;
  /** Public-use terminals (payphones …). */
  publicUseTerminal?: boolean;
  externalExtraLine?: boolean;
}

/** SUB-18: DATA access links need DSL coverage and a plain copper line. */
export function checkDataEligibility(facts: DataLineFacts): EligibilityResult {
  const checks: Array<[boolean | undefined, string]> = [
    [!facts.inDslCoverage, 'outside_dsl_coverage'],
    [facts.radioSegment, 'radio_segment'],
    [facts.signalProcessingEquipment, 'signal_processing_equipment'],
    [facts.automaticSubDistribution, 'automatic_sub_distribution'],
    [facts.lineGroup, 'line_group'],
    [facts.nonPermanentTerminal, 'non_permanent_terminal'],
    [facts.publicUseTerminal, 'public_use_terminal'],
    [facts.externalExtraLine, 'external_extra_line'],
  ];
  const reasons = checks.filter(([hit]) => hit === true).map(([, code]): EligibilityReason => ({ code, rule: 'SUB-18' }));
  return { eligible: reasons.length === 0, reasons };
}
