import type { FreeTextFields } from '@oksio/kernel';
import type { FixedLineMandateEvent } from './domain/fixed-line-mandate.decider';
import type { NumberRegistryEvent } from './domain/number-registry.decider';
import type { PortingEvent } from './domain/porting-request.events';

/**
 * The Portability context's free-text event fields (issue 18 item 7), sealed at append for the
 * customer: why a port-out is cancelled, why a number is released, the local-loop operator's
 * rejection of a fixed-line resale. (A donor's refusal and a porting failure's detail are also
 * copied into the structured `reasons` of the fallback to a new number: see docs/operations.md.)
 */
export const PORTABILITY_FREE_TEXT: ReadonlyArray<FreeTextFields<any>> = [
  { PortOutCancelled: ['reason'] } satisfies FreeTextFields<PortingEvent>,
  { NumberReleased: ['reason'] } satisfies FreeTextFields<NumberRegistryEvent>,
  { FixedLineResaleRejectedByObl: ['reason'] } satisfies FreeTextFields<FixedLineMandateEvent>,
];
