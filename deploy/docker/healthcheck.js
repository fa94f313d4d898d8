#!/usr/bin/env node
'use strict';
/**
 * Container health check (Docker HEALTHCHECK, Compose healthcheck, Kubernetes exec probes).
 * Slim images have no curl, so this is plain Node with the image's own node_modules.
 *
 *   node deploy/docker/healthcheck.js [auto|api|worker]
 *
 * api     GET http://127.0.0.1:$PORT/health must answer 200 (503 = database or event store down).
 * worker  the worker has no HTTP listener: the check connects to DATABASE_URL (SELECT 1) and, with
 *         the PostgreSQL event store, fails when a projection leased to this instance
 *         (projection_checkpoints.owner = $INSTANCE_NAME) is behind the head of the event store and
 *         its checkpoint has not moved for HEALTHCHECK_STALL_SECONDS (default 600; 0 disables).
 *         That is the one failure a dead-process check cannot see: a hung worker keeps its
 *         PostgreSQL session, hence its advisory-lock leases, and nobody else can take them over.
 *         Restarting it closes the session and the standby worker takes the projections.
 * auto    (default) worker when a worker entry point runs in this container, exit 0 for the CLI,
 *         api otherwise.
 *
 * Exit 0 healthy, 1 unhealthy (reason on stderr). Environment: PORT, HOST, DATABASE_URL,
 * INSTANCE_NAME, EVENT_STORE, HEALTHCHECK_TIMEOUT_MS (default 4000), HEALTHCHECK_STALL_SECONDS.
 */
const fs = require('node:fs');
const http = require('node:http');

const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);

function fail(message) {
  process.stderr.write(`unhealthy: ${message}\n`);
  process.exit(1);
}

function detectRole() {
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid);
  } catch {
    return 'api';
  }
  for (const pid of entries.sort((a, b) => Number(a) - Number(b))) {
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (/apps\/worker\/src\/main\b/.test(cmdline)) return 'worker';
    if (/apps\/api\/src\/main\b/.test(cmdline)) return 'api';
    if (/apps\/cli\/src\/main\b/.test(cmdline)) return 'cli';
  }
  return 'api';
}

function checkApi() {
  const bind = process.env.HOST;
  const host = process.env.HEALTHCHECK_HOST || (!bind || bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind);
  const port = Number(process.env.PORT || 3000);
  const req = http.get({ host, port, path: '/health', timeout: timeoutMs }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk.length < 4096 ? chunk : ''));
    res.on('end', () => {
      if (res.statusCode === 200) process.exit(0);
      fail(`GET /health answered ${res.statusCode}: ${body.slice(0, 500)}`);
    });
  });
  req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  req.on('error', (error) => fail(`GET http://${host}:${port}/health: ${error.message}`));
}

async function checkWorker() {
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set');
  const { Client } = require('pg');
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'oksio-healthcheck',
  });
  const timer = setTimeout(() => fail(`database check took more than ${timeoutMs} ms`), timeoutMs + 1000);
  try {
    await client.connect();
    await client.query('SELECT 1');
    const stallSeconds = Number(process.env.HEALTHCHECK_STALL_SECONDS ?? 600);
    const owner = process.env.INSTANCE_NAME;
    const postgresStore = (process.env.EVENT_STORE || 'postgresql') === 'postgresql';
    if (stallSeconds > 0 && owner && postgresStore) {
      // Checkpoints are (tx_id, global_position) pairs (docs/adr/0003); -1/-1 is the start.
      const { rows } = await client.query(
        `SELECT c.name FROM projection_checkpoints c
          WHERE c.owner = $1
            AND greatest(c.updated_at, coalesce(c.owner_since, c.updated_at)) < now() - make_interval(secs => $2)
            AND EXISTS (
              SELECT 1 FROM es_events e
               WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
                 AND (c.commit_pos < 0 OR (e.tx_id, e.global_position) > (c.commit_pos::text::xid8, c.prepare_pos)))`,
        [owner, stallSeconds],
      );
      if (rows.length > 0) {
        fail(`projections leased to ${owner} have not moved for ${stallSeconds} s while events wait: ${rows.map((r) => r.name).join(', ')}`);
      }
    }
    clearTimeout(timer);
    await client.end();
    process.exit(0);
  } catch (error) {
    fail(`database: ${error && error.message ? error.message : error}`);
  }
}

const requested = process.argv[2] || 'auto';
const role = requested === 'auto' ? detectRole() : requested;
if (role === 'api') checkApi();
else if (role === 'worker') checkWorker();
else if (role === 'cli') process.exit(0);
else fail(`unknown mode ${requested} (auto, api or worker)`);
