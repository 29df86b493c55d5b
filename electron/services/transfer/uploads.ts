// Files the user picked in the window (a conversation to import, a backup to restore) arrive in
// chunks small enough for any transport, are held here for a few minutes, and are taken by the call
// that uses them. Bounded in count, size and age, so a page cannot make main hold memory forever.
import { ServiceError } from '../errors.ts';
import { newId } from '../util/ids.ts';

export interface UploadLimits {
  maxChars: number;
  maxUploads: number;
  ttlMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxChars: 1024 * 1024 * 1024, maxUploads: 4, ttlMs: 10 * 60_000 };

export class UploadStore {
  private uploads = new Map<string, { parts: string[]; size: number; touched: number }>();
  private readonly now: () => number;
  private readonly limits: UploadLimits;

  constructor(now: () => number, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS) {
    this.now = now;
    this.limits = limits;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, u] of this.uploads) if (t - u.touched > this.limits.ttlMs) this.uploads.delete(id);
  }

  append(uploadId: string | undefined, chunk: string): { uploadId: string; size: number } {
    this.sweep();
    let id = uploadId;
    let u = id ? this.uploads.get(id) : undefined;
    if (id && !u) throw new ServiceError('upload_missing', 'The file was not received completely; choose it again.');
    if (!u) {
      if (this.uploads.size >= this.limits.maxUploads) {
        // The oldest one was most likely abandoned.
        const oldest = [...this.uploads.entries()].sort((a, b) => a[1].touched - b[1].touched)[0]!;
        this.uploads.delete(oldest[0]);
      }
      id = newId('up');
      u = { parts: [], size: 0, touched: this.now() };
      this.uploads.set(id, u);
    }
    if (u.size + chunk.length > this.limits.maxChars) {
      this.uploads.delete(id!);
      throw new ServiceError('too_large', 'The file is too large.');
    }
    u.parts.push(chunk);
    u.size += chunk.length;
    u.touched = this.now();
    return { uploadId: id!, size: u.size };
  }

  /** The whole file; the upload is gone afterwards. */
  take(uploadId: string): string {
    this.sweep();
    const u = this.uploads.get(uploadId);
    if (!u) throw new ServiceError('upload_missing', 'The file was not received completely; choose it again.');
    this.uploads.delete(uploadId);
    return u.parts.join('');
  }

  discard(uploadId: string): void {
    this.uploads.delete(uploadId);
  }
}
