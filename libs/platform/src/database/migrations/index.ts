import { Foundation1764000000000 } from './1764000000000-foundation';

/** Migrations of the platform itself; each bounded context exports its own list, composed by the apps. */
export const PLATFORM_MIGRATIONS = [Foundation1764000000000];
