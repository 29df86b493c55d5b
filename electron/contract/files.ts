// Limits for files moving between the window and main, shared by both sides. Kept free of zod so
// the renderer can import it (see headers.ts).

/**
 * Characters per `uploads.append` chunk. Even fully JSON-escaped (6 bytes per character) a chunk
 * stays under the browser-mode socket's 8 MB frame limit.
 */
export const UPLOAD_CHUNK_CHARS = 1_000_000;
