// A real, small file system that can be filled: the "disk full" tests. Needs root (mount); CI runs
// as root. Returns null when mounting is not possible, so the caller can say why it skips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Writes filler files until the file system refuses (ENOSPC). */
  fill(): void;
  /** Removes the filler files. */
  free(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeMb: number): SmallDisk | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kaiwa-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const fillers = () => readdirSync(dir).filter((f) => f.startsWith('filler-'));
  return {
    dir,
    fill() {
      // Big pieces first, then small ones for the last few kilobytes.
      for (const size of [1024 * 1024, 64 * 1024, 4096, 512]) {
        try {
          for (let i = 0; ; i++) writeFileSync(join(dir, `filler-${size}-${i}`), Buffer.alloc(size, 1));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        }
      }
    },
    free() {
      for (const f of fillers()) rmSync(join(dir, f), { force: true });
    },
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
