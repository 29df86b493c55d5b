import type { ErrorAction, ErrorCode, KaiwaError } from '../contract/index.ts';

/** Thrown inside services; the RPC layer turns it into the `{ ok: false, error }` envelope. */
export class ServiceError extends Error {
  readonly info: KaiwaError;
  constructor(code: ErrorCode, message: string, extra: Partial<Omit<KaiwaError, 'code' | 'message'>> = {}) {
    super(message);
    this.name = 'ServiceError';
    this.info = { code, message, ...extra };
  }
}

export function toKaiwaError(err: unknown): KaiwaError {
  if (err instanceof ServiceError) return err.info;
  const e = err as (NodeJS.ErrnoException & { errcode?: number }) | undefined;
  // node:sqlite reports a full disk as SQLITE_FULL (13) under the generic ERR_SQLITE_ERROR code.
  if (e && (e.code === 'ENOSPC' || e.code === 'EDQUOT' || (typeof e.errcode === 'number' && (e.errcode & 0xff) === 13))) {
    return { code: 'storage_full', message: 'The disk is full; nothing new could be saved.', actions: ['retry'] satisfies ErrorAction[] };
  }
  if (e && typeof e.code === 'string' && /^(SQLITE|ERR_SQLITE|EACCES|EPERM|EROFS|EIO)/.test(e.code)) {
    return { code: 'storage_failed', message: 'Saving failed.', details: e.message, actions: ['retry'] };
  }
  return { code: 'internal', message: 'Something went wrong inside Kaiwa.', details: err instanceof Error ? err.message : String(err) };
}
