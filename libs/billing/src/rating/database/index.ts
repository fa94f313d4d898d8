import { CdrRow, RatedCallRow, RejectedCdrRow, SipLineRow } from '../rating.entities';
import { SipRating1764000500000 } from './1764000500000-sip-rating';
import { VgaRating1764000500100 } from './1764000500100-vga-rating';

export const RATING_ENTITIES = [SipLineRow, CdrRow, RejectedCdrRow, RatedCallRow];
export const RATING_MIGRATIONS = [SipRating1764000500000, VgaRating1764000500100];
