// Writes the committed benchmark fixtures from the seeded generator (bench/lib/fixtures.ts):
//   bench/fixtures/answer.md      the ~100 KB answer
//   bench/fixtures/manifest.json  sizes and SHA-256 of the answer, its prefixes and the conversations
// `node bench/generate-fixtures.ts --check` regenerates in memory and fails if anything differs from
// what is committed (the bench runs this check before measuring).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANSWER_SEED, chunkText, CONVERSATION_SEED, generateAnswer, generateConversation, KB, prefixBytes, PREFIX_KB } from './lib/fixtures.ts';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const CONVERSATION_SIZES = [100, 1000, 10_000] as const;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Manifest {
  answer: { seed: number; file: string; bytes: number; chars: number; sha256: string };
  prefixes: Record<string, { bytes: number; chars: number; chunks: number; sha256: string }>;
  fence: { startByte: number; endByte: number; lines: number };
  conversations: { seed: number; sizes: Record<string, { chars: number; sha256: string }> };
}

export function buildManifest(answer: string): Manifest {
  const prefixes: Manifest['prefixes'] = {};
  for (const kb of PREFIX_KB) {
    const p = kb === 100 ? answer : prefixBytes(answer, kb * KB);
    prefixes[String(kb)] = { bytes: Buffer.byteLength(p), chars: p.length, chunks: chunkText(p).length, sha256: sha(p) };
  }
  const fs = answer.indexOf('```ts');
  const fe = answer.indexOf('\n```', fs + 5);
  const sizes: Manifest['conversations']['sizes'] = {};
  for (const n of CONVERSATION_SIZES) {
    const msgs = generateConversation(n);
    sizes[String(n)] = { chars: msgs.reduce((s, m) => s + m.length, 0), sha256: sha(JSON.stringify(msgs)) };
  }
  return {
    answer: { seed: ANSWER_SEED, file: 'answer.md', bytes: Buffer.byteLength(answer), chars: answer.length, sha256: sha(answer) },
    prefixes,
    fence: { startByte: Buffer.byteLength(answer.slice(0, fs)), endByte: Buffer.byteLength(answer.slice(0, fe + 4)), lines: answer.slice(fs, fe).split('\n').length - 1 },
    conversations: { seed: CONVERSATION_SEED, sizes },
  };
}

/** The committed answer, after checking it is what the generator produces. */
export function loadAnswer(): { answer: string; manifest: Manifest } {
  const answer = readFileSync(join(FIXTURE_DIR, 'answer.md'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(FIXTURE_DIR, 'manifest.json'), 'utf8')) as Manifest;
  if (sha(answer) !== manifest.answer.sha256) throw new Error('bench/fixtures/answer.md does not match its manifest: run node bench/generate-fixtures.ts');
  return { answer, manifest };
}

function main(): void {
  const answer = generateAnswer();
  const manifest = buildManifest(answer);
  const json = JSON.stringify(manifest, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    const okAnswer = readFileSync(join(FIXTURE_DIR, 'answer.md'), 'utf8') === answer;
    const okManifest = readFileSync(join(FIXTURE_DIR, 'manifest.json'), 'utf8') === json;
    if (!okAnswer || !okManifest) {
      process.stderr.write('bench fixtures differ from the generator: run node bench/generate-fixtures.ts\n');
      process.exit(1);
    }
    process.stdout.write('bench fixtures match the generator\n');
    return;
  }
  writeFileSync(join(FIXTURE_DIR, 'answer.md'), answer);
  writeFileSync(join(FIXTURE_DIR, 'manifest.json'), json);
  process.stdout.write(`wrote ${manifest.answer.bytes} bytes (${manifest.answer.chars} chars), fence of ${manifest.fence.lines} lines\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
