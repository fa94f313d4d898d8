/** Names and tables of the test-only probe context that test/deploy/probe-worker.ts plugs into real workers. */
export const PROBE_PROJECTION = 'deploy-probe';
export const PROBE_KIND = 'deploy-probe.follow-up';
export const PROBE_EVENT_TYPES = ['CustomerRegistered', 'DeployProbeFollowedUp'];
export const PROBE_TABLES = `
  CREATE TABLE IF NOT EXISTS deploy_probe_applied (
    event_id uuid PRIMARY KEY, type text NOT NULL, stream_id text NOT NULL, worker text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE TABLE IF NOT EXISTS deploy_probe_runs (
    id bigserial PRIMARY KEY, key text NOT NULL, command_id uuid NOT NULL, worker text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp());`;
