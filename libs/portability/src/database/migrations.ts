import { Portability1764000400000 } from './1764000400000-portability';
import { SealedOblRejection1764000400100 } from './1764000400100-sealed-obl-rejection';

export const PORTABILITY_MIGRATIONS = [Portability1764000400000, SealedOblRejection1764000400100];
