import { Portability1764000400000 } from './1764000400000-portability';

export const PORTABILITY_MIGRATIONS = [Portability1764000400000];
