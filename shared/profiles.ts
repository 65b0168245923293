export type Engine = 'postgres' | 'mysql';

export const DEFAULT_PORTS: Record<Engine, number> = { postgres: 5432, mysql: 3306 };

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** What a person fills in; everything but the password, which is never part of a profile. */
export interface ConnectionParams {
  engine: Engine;
  host: string;
  port: number;
  user: string;
  database: string;
  sslMode: SslMode;
  /** Query parameters of a pasted URL that Cabinet does not model (kept so nothing typed is lost). */
  options: Record<string, string>;
}

export interface ProfileInput extends ConnectionParams {
  name: string;
  color?: string;
  readOnly?: boolean;
}

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
