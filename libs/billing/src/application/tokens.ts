import { BusinessCalendar } from '@oksio/kernel';
import { DEFAULT_BILLING_SETTINGS, type BillingSettings } from '../domain';

export const BILLING_SETTINGS = Symbol('BILLING_SETTINGS');
export const BILLING_CALENDAR = Symbol('BILLING_CALENDAR');

export const billingProviders = [
  { provide: BILLING_SETTINGS, useValue: DEFAULT_BILLING_SETTINGS as BillingSettings },
  { provide: BILLING_CALENDAR, useValue: new BusinessCalendar() },
];

/** Due-action kinds of the billing context. */
export const DUE = {
  runMonth: 'billing.run_month',
  overdue: 'billing.invoice_overdue',
  suspension: 'billing.nonpayment_suspension',
  deliveries: 'billing.deliveries_suspension',
  lapseDispute: 'billing.dispute_lapse',
  creditNote: 'billing.issue_credit_note',
  /** BIL-13: issue the invoice of a handset order (a safety net: the order's command issues it at once). */
  handsetInvoice: 'billing.handset_invoice',
  /** BIL-13: a payment on a handset order's invoice changed: release (or withdraw) the order. */
  handsetPayment: 'billing.handset_payment',
} as const;
