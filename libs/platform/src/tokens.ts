/** Injection tokens of the platform module. */
export const RUNTIME = Symbol('RUNTIME');
export const PG_POOL = Symbol('PG_POOL');
