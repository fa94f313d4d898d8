/**
 * The admin client's top-level client routes: `/admin/<section>[/…]`. The API serves index.html
 * for these (apps/api/src/admin-client) and lets every other `/admin/*` path reach the API
 * (`/admin/clock`, `/admin/projections`). Plain TypeScript: imported by the server too.
 */
export const ADMIN_SECTIONS = ['customers', 'incidents', 'porting', 'billing', 'privacy', 'events', 'test-clock'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];
