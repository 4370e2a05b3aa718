/** Errors as the API reports them: a code to act on and a sentence to show. */
import type { EngineErrorCode } from '../../engine/core/errors.js';

export type ApiErrorCode =
  | EngineErrorCode
  /** Arguments that do not match the method's schema (wrong types, unknown fields). */
  | 'invalid-request'
  | 'unknown-method'
  | 'not-authorized'
  /** The connection holds as many calls, streams or uploads as one peer may; the message names the bound. */
  | 'limit-reached'
  | 'internal';

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
}

export class BerthApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BerthApiError';
  }

  static from(info: ApiErrorInfo): BerthApiError {
    return new BerthApiError(info.code, info.message);
  }
}

export function isBerthApiError(error: unknown): error is BerthApiError {
  return error instanceof Error && (error as BerthApiError).name === 'BerthApiError' && 'code' in error;
}
