import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SEED_MERCHANT } from '../../../services/merchants.js';
import type { AppDeps } from '../../../app-deps.js';

/**
 * The dashboard page may load its own scripts, styles and images and call this origin, nothing
 * else: no inline script, no eval, no framing, no form posting elsewhere. Lit's styles are
 * constructed stylesheets, which style-src does not govern, so no 'unsafe-inline' is needed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

type StaticFile = { body: Buffer; type: string };

/** Where the built dashboard lives: `@paygate/dashboard`'s dist/, undefined when it was not built. */
export function locateDashboardBuild(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@paygate/dashboard/package.json');
    const dist = join(dirname(manifest), 'dist');
    return statSync(join(dist, 'index.html')).isFile() ? dist : undefined;
  } catch {
    return undefined;
  }
}

/** Every file of the build, read once at start (a few hundred kB): no file system access per request, no path to traverse. */
function readBuild(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        files.set(relative(dir, path).split(sep).join('/'), {
          body: readFileSync(path),
          type: CONTENT_TYPES[extname(entry.name)] ?? 'application/octet-stream',
        });
    }
  };
  walk(dir);
  return files;
}

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Paygate dashboard not built</title>
<h1>The dashboard has not been built</h1>
<p>Run <code>npm run build</code> at the repository root (<code>npm ci</code> does it for you), then restart the gateway.</p>`;

export type DashboardRouteOptions = Pick<AppDeps, 'config'> & {
  /** The built dashboard (tests pass their own); by default `@paygate/dashboard`'s dist/. */
  buildDir?: string | undefined;
};

/**
 * `/dashboard`: the merchant web dashboard, in every mode. Hashed assets are cached for good;
 * index.html is answered for every other path under /dashboard (the app routes in the browser),
 * never cached, with a strict Content-Security-Policy.
 *
 * `/dashboard/session` tells the page the gateway's mode and, in development and test mode only,
 * the seed merchant's credentials, so a fresh `pg-cli dev` opens signed in. They are public by
 * design there (the seed's README prints them, `pg-cli dev --help` too, and in those modes
 * `/api/v1/test/*` already lets anyone make merchants and reset the data), and absent from every
 * served file: a production gateway has no seed merchant and never sends a secret.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions) {
  const { config } = options;
  const dir = options.buildDir ?? locateDashboardBuild();
  const files = dir ? readBuild(dir) : new Map<string, StaticFile>();
  const index = files.get('index.html');
  const mode = config.testMode ? 'test' : config.environment;
  const seedSignedIn = config.seedTestMerchant && config.environment !== 'production';

  app.get('/dashboard/session', async (_request, reply) => {
    secureHeaders(reply).header('cache-control', 'no-store');
    return {
      mode,
      seed_credentials: seedSignedIn ? { api_key: SEED_MERCHANT.apiKey, api_secret: SEED_MERCHANT.apiSecret } : null,
    };
  });

  const sendIndex = (reply: FastifyReply) => {
    secureHeaders(reply).header('cache-control', 'no-store');
    if (!index) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return reply.type(index.type).send(index.body);
  };
  app.get('/dashboard', async (_request, reply) => sendIndex(reply));
  app.get<{ Params: { '*': string } }>('/dashboard/*', async (request, reply) => {
    const path = request.params['*'];
    const file = path === 'index.html' ? undefined : files.get(path);
    if (file) {
      const hashed = path.startsWith('assets/');
      return secureHeaders(reply)
        .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(file.type)
        .send(file.body);
    }
    // A missing asset is a 404 (a stale tab asking for an old hash), not the app's HTML.
    if (path.startsWith('assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return sendIndex(reply);
  });
}
