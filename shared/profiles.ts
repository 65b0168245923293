/** Connection profiles: what a person fills in, checked by one schema wherever it comes from (a call, a file). */
import { z } from 'zod';
import { absolutePathSchema, LIMITS } from './contract.ts';

export const ENGINES = ['postgres', 'mysql'] as const;
export const engineSchema = z.enum(ENGINES, { error: () => 'expected "postgres" or "mysql"' });
export type Engine = z.infer<typeof engineSchema>;

export const DEFAULT_PORTS: Record<Engine, number> = { postgres: 5432, mysql: 3306 };
export const DEFAULT_USERS: Record<Engine, string> = { postgres: 'postgres', mysql: 'root' };
export const PORT_MIN = 1;
export const PORT_MAX = 65535;

/** libpq's five modes; MySQL's own names map onto them (see connection-url.ts). */
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const sslModeSchema = z.enum(SSL_MODES, { error: () => `expected one of ${SSL_MODES.join(', ')}` });
export type SslMode = z.infer<typeof sslModeSchema>;

export const portSchema = z
  .number({ error: () => `expected a port number from ${PORT_MIN} to ${PORT_MAX}` })
  .int({ error: () => `expected a port number from ${PORT_MIN} to ${PORT_MAX}` })
  .min(PORT_MIN, { error: () => `expected a port number from ${PORT_MIN} to ${PORT_MAX}` })
  .max(PORT_MAX, { error: () => `expected a port number from ${PORT_MIN} to ${PORT_MAX}` });


const connectionFields = {
  engine: engineSchema,
  host: z.string().trim().min(1, { error: () => 'a host is required' }).max(255),
  port: portSchema,
  user: z.string().max(LIMITS.name),
  database: z.string().max(LIMITS.name),
  sslMode: sslModeSchema,
  /** PEM files on the machine running the core: the CA to trust, and a client certificate and key. */
  sslRootCert: absolutePathSchema.optional(),
  sslCert: absolutePathSchema.optional(),
  sslKey: absolutePathSchema.optional(),
};

/** Where to connect: everything but the password, which is never part of a profile. */
export const connectionParamsSchema = z.strictObject(connectionFields);
export type ConnectionParams = z.infer<typeof connectionParamsSchema>;

const profileFields = {
  ...connectionFields,
  /** Empty: named `user@host/database` when saved. */
  name: z.string().max(LIMITS.name),
  color: z.string().max(32).optional(),
  readOnly: z.boolean().optional(),
  /** The migrations folder attached to this connection, an absolute path on the machine running the core. */
  migrationsDir: absolutePathSchema.optional(),
};
export const profileInputSchema = z.strictObject(profileFields);
export type ProfileInput = z.infer<typeof profileInputSchema>;

/** A profile as kept in `profiles.json`: no password, only whether one is needed. */
export const storedProfileSchema = z.strictObject({
  ...profileFields,
  id: z.string().min(1).max(LIMITS.id),
  passwordRequired: z.boolean(),
  createdAt: z.string().max(64),
  updatedAt: z.string().max(64),
});
export type StoredProfile = z.infer<typeof storedProfileSchema>;

export const profilesFileSchema = z.strictObject({
  version: z.literal(1),
  profiles: z.array(z.unknown()),
});

export type PasswordStorage = 'none' | 'saved' | 'session' | 'ask';

export interface Profile extends ProfileInput {
  id: string;
  /** Where this profile's password lives: nowhere, encrypted on disk, in memory for this run, or asked each time. */
  password: PasswordStorage;
  /** The built-in demo database: cannot be edited or deleted. */
  builtIn?: boolean;
  createdAt: string;
  updatedAt: string;
}

export const DEMO_PROFILE_ID = 'demo';

/** The connection part of a profile (or of anything with more fields), as the connector takes it. */
export function connectionParamsOf(source: ConnectionParams): ConnectionParams {
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(connectionParamsSchema.shape)) {
    const value = (source as unknown as Record<string, unknown>)[key];
    if (value !== undefined) params[key] = value;
  }
  return params as ConnectionParams;
}
