import type { CabinetErrorData } from '../../../shared/errors.ts';
import { isCabinetErrorData } from '../../../shared/errors.ts';

/** A failed call as the renderer sees it: the core's error data, kept whole. */
export class ApiError extends Error {
  readonly data: CabinetErrorData;

  constructor(data: CabinetErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.data = data;
  }

  get code(): CabinetErrorData['code'] {
    return this.data.code;
  }
}

/** Turns anything thrown into error data fit to show a person. */
export function toErrorData(error: unknown): CabinetErrorData {
  if (error instanceof ApiError) return error.data;
  if (isCabinetErrorData(error)) return { code: error.code, message: error.message, detail: error.detail };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
