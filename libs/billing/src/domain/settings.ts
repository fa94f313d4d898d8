/**
 * Billing settings that the rules mark **configurable** (BIL-01 VAT rate, INC-07 fee, BIL-05
 * day-count basis) and the seller identity printed on every invoice. Data, not code paths: the
 * application layer may override any field (e.g. from configuration) and the value in force is
 * snapshotted into each issued invoice, so a later change never rewrites an issued document.
 */
export interface SellerIdentity {
  legalName: string;
  legalForm: string;
  shareCapital: string;
  siren: string;
  rcs: string;
  vatNumber: string;
  address: { line1: string; postalCode: string; city: string; country: string };
  email: string;
  /** SEPA creditor identifier (ICS) printed next to the mandate reference (BIL-04). */
  sepaCreditorId: string;
}

export interface BillingSettings {
  /** BIL-01: French standard VAT rate, percent. */
  vatRate: string;
  /** BIL-04: days from the invoice date to the payment due date printed on it. */
  paymentTermDays: number;
  /** BIL-05: contractual late-interest rate = multiplier × legal rate (CG 6.1: 20). */
  lateInterestMultiplier: string;
  /** BIL-05: D441-5 fixed recovery indemnity per late invoice, EUR. */
  recoveryIndemnity: string;
  /** BIL-05 (REFERENCE.md): 365, or 366 in leap years if the operator chooses. */
  dayCountBasis: 365 | 366;
  /** BIL-06: days after receipt of the invoice to dispute it by LRAR. */
  disputeWindowDays: number;
  /** BIL-06: days after the dispute to provide supporting documents. */
  disputeDocumentsDays: number;
  /** BIL-06: no billing claim more than N months after the invoice date. */
  claimLimitMonths: number;
  /** SUS-02: the non-payment suspension is allowed from due date + N days (CG 6.1 II). */
  nonPaymentSuspensionDelayDays: number;
  /** SUS-06: deliveries may be suspended when unpaid MORE than N business days after the due date. */
  deliverySuspensionAfterBusinessDays: number;
  seller: SellerIdentity;
}

/**
 * OKSIO's identity. The seeds do not give it: these values are the operator's configuration
 * (SIREN 732829320 passes the Luhn check; the VAT key is (12 + 3 × (SIREN mod 97)) mod 97 = 44).
 */
export const OKSIO_SELLER: SellerIdentity = {
  legalName: 'OKSIO',
  legalForm: 'SAS',
  shareCapital: '150 000,00 €',
  siren: '732829320',
  rcs: 'RCS Paris 732 829 320',
  vatNumber: 'FR44732829320',
  address: { line1: '10 rue de la Victoire', postalCode: '75009', city: 'Paris', country: 'FR' },
  email: 'facturation@oksio.fr',
  sepaCreditorId: 'FR12ZZZ123456',
};

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  vatRate: '20',
  paymentTermDays: 30,
  lateInterestMultiplier: '20',
  recoveryIndemnity: '40.00',
  dayCountBasis: 365,
  disputeWindowDays: 30,
  disputeDocumentsDays: 30,
  claimLimitMonths: 12,
  nonPaymentSuspensionDelayDays: 7,
  deliverySuspensionAfterBusinessDays: 8,
  seller: OKSIO_SELLER,
};

/** French VAT number key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}
