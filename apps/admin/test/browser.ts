import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ADMIN_DIR = join(__dirname, '..');
const DIST_INDEX = join(ADMIN_DIR, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the SPA (vite build apps/admin) when apps/admin/dist is missing or older than its sources,
 * so `npm test` on a clean clone serves the real bundle.
 */
export function ensureAdminBuilt(): void {
  const sources = Math.max(newestSource(join(ADMIN_DIR, 'src')), statSync(join(ADMIN_DIR, 'index.html')).mtimeMs, statSync(join(ADMIN_DIR, 'vite.config.ts')).mtimeMs);
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', ADMIN_DIR, '--logLevel', 'warn'], { cwd: join(ADMIN_DIR, '..', '..'), stdio: 'inherit' });
}

/** Headless Debian chromium driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`The admin-client browser tests drive Debian's chromium, not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
