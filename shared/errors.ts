/** Errors cross every boundary as plain data, never as thrown class instances. */
export type ErrorCode =
  | 'AUTH_FAILED'
  | 'HOST_NOT_FOUND'
  | 'CONNECTION_REFUSED'
  | 'TIMEOUT'
  /** The port answers, but as a server of the other engine. */
  | 'WRONG_ENGINE'
  /** TLS could not be set up: the server has none, or its certificate failed the profile's checks. */
  | 'TLS_FAILED'
  | 'DATABASE_NOT_FOUND'
  | 'CONNECTION_LOST'
  | 'SQL_ERROR'
  | 'BAD_URL'
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'NOT_CONNECTED'
  | 'DEMO_BUSY'
  | 'MIGRATION_ERROR'
  | 'LOCKED'
  | 'INTERNAL';

export interface CabinetErrorData {
  code: ErrorCode;
  message: string;
  detail?: string;
  sqlState?: string;
  /** 1-based character offset into the SQL text, where the server reported one. */
  position?: number;
}

/** The one error class thrown inside the core; it flattens to CabinetErrorData at the boundary. */
export class CabinetError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly sqlState?: string;
  readonly position?: number;

  constructor(data: CabinetErrorData) {
    super(data.message);
    this.name = 'CabinetError';
    this.code = data.code;
    this.detail = data.detail;
    this.sqlState = data.sqlState;
    this.position = data.position;
  }

  toData(): CabinetErrorData {
    const out: CabinetErrorData = { code: this.code, message: this.message };
    if (this.detail !== undefined) out.detail = this.detail;
    if (this.sqlState !== undefined) out.sqlState = this.sqlState;
    if (this.position !== undefined) out.position = this.position;
    return out;
  }
}

export function isCabinetErrorData(value: unknown): value is CabinetErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CabinetErrorData).code === 'string' &&
    typeof (value as CabinetErrorData).message === 'string'
  );
}
