import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN_SECTIONS } from '../../../admin/src/sections';

/**
 * Serves the built admin SPA (apps/admin/dist) under /admin without shadowing the API routes that
 * also live under /admin (`/admin/clock`, `/admin/projections`, and any added later):
 * - `/admin/assets/*` → the hashed bundle files (immutable);
 * - `/admin`, `/admin/` and the SPA's own client routes (`/admin/<section>[/…]`, sections listed
 *   in apps/admin/src/sections.ts) → index.html;
 * - anything else falls through to Nest (API routes, then the usual 404 problem).
 * GET and HEAD only; the shell is public, every piece of data needs an API key (GraphQL).
 */
export class AdminStaticFiles {
  private distDir: string | null = null;

  constructor(private readonly startDir: string = __dirname) {}

  /** apps/admin/dist, found from this file's location (sources under jest, dist/ after the build). */
  dist(): string | null {
    if (this.distDir) return this.distDir;
    let dir = this.startDir;
    for (let i = 0; i < 8; i++) {
      const candidate = join(dir, 'apps', 'admin', 'dist');
      if (existsSync(join(candidate, 'index.html'))) return (this.distDir = candidate);
      const parent = resolve(dir, '..');
      if (parent === dir) break;
      dir = parent;
    }
    return null;
  }

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = new URL(req.originalUrl, 'http://admin.invalid').pathname;
    if (pathname !== '/admin' && !pathname.startsWith('/admin/')) return next();
    const rest = pathname.slice('/admin'.length).replace(/^\//, '');
    const first = rest.split('/')[0];
    const isAsset = first === 'assets';
    const isShell = rest === '' || (ADMIN_SECTIONS as readonly string[]).includes(first);
    if (!isAsset && !isShell) return next();

    const dist = this.dist();
    if (!dist) {
      res.status(503).type('text/plain; charset=utf-8').send('The admin client is not built: run `npm run build` (it builds apps/admin into apps/admin/dist).');
      return;
    }
    securityHeaders(res);
    if (isAsset) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(rest);
      } catch {
        return next();
      }
      const file = normalize(join(dist, decoded));
      if (!file.startsWith(join(dist, 'assets') + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.status(404).type('text/plain; charset=utf-8').send('Not found');
        return;
      }
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.sendFile(file);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8').sendFile(join(dist, 'index.html'));
  };
}

function securityHeaders(res: Response): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
