// Files in and out of the window. Main produces exports as text and this saves them as a download
// (works the same in the desktop app and in browser mode); files the user picks are staged in main
// in chunks, so a large backup never has to fit in one message.
import { UPLOAD_CHUNK_CHARS } from '../../../electron/contract/files.ts';
import type { ExportedFile } from '../../../electron/contract/index.ts';
import { call } from '../bridge/index.ts';

export function saveDownload(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: `${file.mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the object URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Sends a picked file to main; returns the upload id the using call takes. */
export async function stageFile(file: File): Promise<string> {
  const text = await file.text();
  let uploadId: string | undefined;
  try {
    for (let i = 0; i < text.length || i === 0; i += UPLOAD_CHUNK_CHARS) {
      ({ uploadId } = await call('uploads.append', { ...(uploadId ? { uploadId } : {}), chunk: text.slice(i, i + UPLOAD_CHUNK_CHARS) }));
    }
  } catch (err) {
    if (uploadId) void call('uploads.discard', { uploadId }).catch(() => undefined);
    throw err;
  }
  return uploadId!;
}
