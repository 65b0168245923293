import type { SslMode } from '../../../shared/profiles.ts';

/** TLS options for an SSL mode; undefined means plain text. `verify-*` check the server's certificate. */
export function tlsOptions(mode: SslMode): { rejectUnauthorized: boolean } | undefined {
  switch (mode) {
    case 'disable':
      return undefined;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}
