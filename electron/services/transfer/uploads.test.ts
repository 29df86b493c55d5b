import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../errors.ts';
import { UploadStore } from './uploads.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as ServiceError).info.code;
  }
  return 'ok';
};

describe('staged uploads', () => {
  it('joins chunks in order and hands the file out once', () => {
    const u = new UploadStore(() => 0);
    const { uploadId } = u.append(undefined, 'hello ');
    expect(u.append(uploadId, 'world')).toEqual({ uploadId, size: 11 });
    expect(u.take(uploadId)).toBe('hello world');
    expect(code(() => u.take(uploadId))).toBe('upload_missing');
    expect(code(() => u.append(uploadId, 'more'))).toBe('upload_missing');
  });

  it('is bounded in size, count and age', () => {
    let now = 0;
    const u = new UploadStore(() => now, { maxChars: 10, maxUploads: 2, ttlMs: 1000 });
    const a = u.append(undefined, '12345').uploadId;
    expect(code(() => u.append(a, '123456'))).toBe('too_large');
    expect(code(() => u.take(a))).toBe('upload_missing');
    const b = u.append(undefined, 'b').uploadId;
    now = 10;
    const c = u.append(undefined, 'c').uploadId;
    u.append(undefined, 'd'); // a third one pushes out the oldest
    expect(code(() => u.take(b))).toBe('upload_missing');
    now = 2000;
    expect(code(() => u.take(c))).toBe('upload_missing');
  });
});
