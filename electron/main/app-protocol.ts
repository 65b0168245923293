import { net, protocol } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../../shared/security.ts';

/**
 * The renderer is served from `cabinet://app/`, a standard, secure scheme of the app's own, not from file://:
 * a file:// page has the origin `null`, and Monaco's workers (and fetches of the page's own assets) need a
 * real origin. Only files inside the built renderer folder are served.
 */
export const APP_SCHEME = 'cabinet';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad path', { status: 400 });
    }
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (url.host !== 'app' || (file !== root && !file.startsWith(root + sep))) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).href).catch(() => null);
    if (!response?.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    if (extname(file) === '.js') headers.set('Content-Type', 'text/javascript; charset=utf-8');
    return new Response(response.body, { status: 200, headers });
  });
}
