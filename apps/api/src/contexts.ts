import type { RuntimeParts } from '@oksio/platform';
import { PLATFORM_MIGRATIONS } from '@oksio/platform';

/** The bounded contexts this deployment runs: their Nest modules and their database parts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CONTEXT_MODULES: any[] = [];

export const DATABASE_PARTS: RuntimeParts = {
  entities: [],
  migrations: [...PLATFORM_MIGRATIONS],
};
