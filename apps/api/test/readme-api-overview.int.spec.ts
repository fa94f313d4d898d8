import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../../test/support/app';

/** Served by the API but outside the OpenAPI document: the admin client, the docs themselves, GraphQL. */
const NOT_REST = new Set(['/admin', '/docs', '/docs/openapi.json', '/graphql']);

/**
 * The paths named in backticks in the README's "API overview": `/a/{id}/b`, `/a?x&y` (the query is
 * not part of the path), `/a/{b,c}` (both /a/b and /a/c), `/a/…` (some path under /a/).
 */
function readmePaths(readme: string): string[] {
  const section = readme.split('## API overview')[1].split('\n## ')[0];
  const paths: string[] = [];
  for (const [, code] of section.matchAll(/`([^`]+)`/g)) {
    const path = code.replace(/^(?:[A-Z]+\|)*[A-Z]+ /, '').split('?')[0];
    if (!path.startsWith('/')) continue;
    const alternatives = /^(.*)\{([^}]*,[^}]*)\}(.*)$/.exec(path);
    if (alternatives) paths.push(...alternatives[2].split(',').map((a) => `${alternatives[1]}${a}${alternatives[3]}`));
    else paths.push(path);
  }
  return paths;
}

function documented(path: string, openApiPaths: string[]): boolean {
  if (NOT_REST.has(path)) return true;
  const pattern = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
  if (path.endsWith('…')) return openApiPaths.some((p) => pattern(p).startsWith(pattern(path.slice(0, -1))));
  return openApiPaths.some((p) => pattern(p) === pattern(path));
}

describe('issue 18 item 9 — every path of the README API overview exists in the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('lists real routes only (e.g. /subscriptions/orders, not /orders)', async () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const paths = readmePaths(readme);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths).toEqual(expect.arrayContaining(['/subscriptions/notice-deadlines', '/non-payment/cases', '/non-payment/policy', '/admin/clock']));
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    const openApiPaths = Object.keys(doc.paths);
    expect(paths.filter((p) => !documented(p, openApiPaths))).toEqual([]);
  });
});
