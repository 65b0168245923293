/**
 * The one Content-Security-Policy of the renderer, whichever host serves it: the desktop shell's response
 * header, browser mode's response header, and the `<meta>` tag in index.html (written by the Vite build).
 * No inline or remote script, no eval; styles may be inline (React style props); workers from the app
 * itself or blob: (Monaco's).
 */
const DIRECTIVES: [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['worker-src', "'self' blob:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a `<meta>` tag cannot carry (browsers ignore them there and warn). */
const HEADER_ONLY = new Set(['frame-ancestors']);

export function contentSecurityPolicy(where: 'header' | 'meta' = 'header'): string {
  return DIRECTIVES.filter(([name]) => where === 'header' || !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** The desktop shell's IPC channels: one for calls, one for events, one for the system's folder dialog. */
export const IPC_CHANNELS = { call: 'cabinet:call', event: 'cabinet:event', chooseFolder: 'cabinet:choose-folder' } as const;
