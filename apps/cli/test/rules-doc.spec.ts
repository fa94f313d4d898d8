import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderRulesMarkdown, ruleCoverage } from '../src/rules-coverage';

const root = resolve(__dirname, '../../..');

describe('docs/rules.md (rule → code → test)', () => {
  it('lists every rule of the catalogue and is up to date with the sources (npm run cli -- rules doc)', () => {
    const rows = ruleCoverage(root);
    expect(rows.length).toBe(86);
    const current = readFileSync(join(root, 'docs/rules.md'), 'utf8');
    const platform = current.split('## Business rules')[0].split('## Platform properties')[1] ?? '';
    expect(renderRulesMarkdown(rows, `## Platform properties${platform}`)).toBe(current);
  });
});
