import { FixedLineMandateRow, MobileLineRow, NumberRow, PortingRequestRow, RioRow } from '../projections/entities';

export const PORTABILITY_ENTITIES = [PortingRequestRow, NumberRow, MobileLineRow, RioRow, FixedLineMandateRow];
