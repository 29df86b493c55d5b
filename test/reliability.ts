// Figures for docs/RELIABILITY.md come from real runs: every reliability case appends one line here
// (suite, case, outcome, what it guarantees, measured figures) and `scripts/reliability-report.ts`
// renders the table. Playwright empties test-results/ at start, and vitest runs first, so the
// records live in their own directory.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reliability-results');

export interface CaseRecord {
  suite: string;
  name: string;
  passed: boolean;
  /** What a pass proves, in one sentence. */
  guarantee: string;
  durationMs: number;
  figures?: Record<string, number | string>;
  /** Position of the case in its spec (workers finish in any order). */
  order?: number;
  at: string;
}

/** e2e records: one file per worker process, cleared by the e2e global setup. */
export function recordCase(r: Omit<CaseRecord, 'at'>): void {
  const dir = join(RESULTS_DIR, 'e2e');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${r.suite}.${process.pid}.jsonl`), JSON.stringify({ ...r, at: new Date().toISOString() }) + '\n');
}

export function clearE2eRecords(): void {
  rmSync(join(RESULTS_DIR, 'e2e'), { recursive: true, force: true });
}

/** A whole-suite summary written by one process (fuzz, soak). Replaces the previous run's file. */
export function writeSummary(name: string, summary: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify({ ...(summary as object), at: new Date().toISOString() }, null, 2));
}
