// The GitHub Actions workflows cannot run here, so they are checked like electron-builder.json is:
// against a schema, then for what they must do.
//
// The schema: no JSON schema for workflows is available offline, and the npm package that ships
// one (@action-validator/core, SchemaStore's schema inside a WASM build) is GPL-3.0-only. So the
// part of GitHub's documented workflow syntax these files use is written here with zod, strict
// (an unknown or misspelt key is an error, as it is on GitHub), plus the rules GitHub applies to
// steps (exactly one of `uses`/`run`) and to `${{ matrix.* }}` references. The YAML is read by
// js-yaml, which electron-builder already brings (no YAML parser of our own).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const yaml = createRequire(join(process.cwd(), 'node_modules/app-builder-lib/package.json'))('js-yaml') as { load(text: string): unknown };

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Env = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), Scalar);
const Step = z
  .strictObject({
    name: z.string().optional(),
    id: z.string().optional(),
    if: z.string().optional(),
    uses: z.string().regex(/^[\w.-]+\/[\w./-]+@[\w.-]+$/).optional(),
    run: z.string().min(1).optional(),
    shell: z.string().optional(),
    with: z.record(z.string(), Scalar).optional(),
    env: Env.optional(),
    'working-directory': z.string().optional(),
    'continue-on-error': z.boolean().optional(),
    'timeout-minutes': z.number().int().positive().optional(),
  })
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), 'a step has exactly one of uses / run');
const Job = z.strictObject({
  name: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  'runs-on': z.string(),
  'timeout-minutes': z.number().int().positive().optional(),
  permissions: z.record(z.string(), z.enum(['read', 'write', 'none'])).optional(),
  env: Env.optional(),
  strategy: z
    .strictObject({
      'fail-fast': z.boolean().optional(),
      'max-parallel': z.number().int().positive().optional(),
      matrix: z.strictObject({ include: z.array(z.record(z.string(), Scalar)).min(1) }),
    })
    .optional(),
  steps: z.array(Step).min(1),
});
const PushFilter = z.strictObject({
  branches: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  paths: z.array(z.string()).optional(),
});
const Workflow = z.strictObject({
  name: z.string(),
  on: z.strictObject({ push: PushFilter.nullable().optional(), pull_request: PushFilter.nullable().optional(), workflow_dispatch: z.null().optional() }),
  permissions: z.record(z.string(), z.enum(['read', 'write', 'none'])).optional(),
  concurrency: z.strictObject({ group: z.string(), 'cancel-in-progress': z.boolean().optional() }).optional(),
  env: Env.optional(),
  jobs: z.record(z.string().regex(/^[A-Za-z_][\w-]*$/), Job),
});
type Workflow = z.infer<typeof Workflow>;

/** Every `${{ matrix.x }}` must name a key that every matrix entry defines. */
function undefinedMatrixKeys(wf: Workflow): string[] {
  const missing: string[] = [];
  for (const job of Object.values(wf.jobs)) {
    const entries = job.strategy?.matrix.include ?? [];
    for (const m of JSON.stringify(job).matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)) {
      if (!entries.length || entries.some((e) => !(m[1]! in e))) missing.push(m[1]!);
    }
  }
  return missing;
}

const load = (file: string) => Workflow.parse(yaml.load(readFileSync(join('.github/workflows', file), 'utf8')));

describe('GitHub workflows', () => {
  it('both workflows pass the schema, which rejects a misspelt key and a step with both uses and run', () => {
    for (const file of ['desktop-smoke.yml', 'release.yml']) expect(undefinedMatrixKeys(load(file)), file).toEqual([]);
    const wf = yaml.load(readFileSync('.github/workflows/desktop-smoke.yml', 'utf8')) as { jobs: { smoke: Record<string, unknown> & { steps: object[] } } };
    const { 'runs-on': runsOn, ...rest } = wf.jobs.smoke;
    expect(Workflow.safeParse({ ...wf, jobs: { smoke: { ...rest, runs_on: runsOn } } }).success).toBe(false);
    expect(Workflow.safeParse({ ...wf, jobs: { smoke: { ...wf.jobs.smoke, steps: [{ uses: 'actions/checkout@v4', run: 'x' }] } } }).success).toBe(false);
    const smoke = load('desktop-smoke.yml');
    const job = smoke.jobs['smoke']!;
    expect(undefinedMatrixKeys({ ...smoke, jobs: { smoke: { ...job, steps: [...job.steps, { run: 'echo ${{ matrix.nope }}' }] } } })).toEqual(['nope']);
  });

  it('the desktop smoke test runs on every push, on Ubuntu under Xvfb, Windows and macOS', () => {
    const wf = load('desktop-smoke.yml');
    expect(wf.on.push ?? null).toBeNull();
    const job = wf.jobs['smoke']!;
    const matrix = job.strategy!.matrix.include;
    expect(matrix.map((m) => String(m['os']).split('-')[0]).sort()).toEqual(['macos', 'ubuntu', 'windows']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(String(matrix.find((m) => String(m['os']).startsWith('ubuntu'))!['display'])).toMatch(/^xvfb-run /);
    expect(job.strategy!['fail-fast']).toBe(false);
  });

  it('installs Electron, builds, runs the same smoke spec on the build and then on electron-builder --dir output, and fails if Electron is missing', () => {
    const job = load('desktop-smoke.yml').jobs['smoke']!;
    const runs = job.steps.map((s) => s.run ?? '');
    const at = (re: RegExp) => runs.findIndex((r) => re.test(r));
    const spec = 'e2e/specs/electron-smoke.spec.ts';
    expect(existsSync(spec)).toBe(true);
    const smoke = runs.flatMap((r, i) => (r.includes(`playwright test ${spec}`) ? [i] : []));
    expect(smoke).toHaveLength(2);
    for (const i of smoke) expect(runs[i]).toMatch(/^\$\{\{ matrix\.display \}\} npx playwright test /);
    expect(at(/^npm ci$/)).toBeGreaterThanOrEqual(0);
    expect(at(/^npm ci$/)).toBeLessThan(at(/ensure-electron\.ts/));
    expect(at(/ensure-electron\.ts/)).toBeLessThan(at(/electron-vite build/));
    expect(at(/electron-vite build/)).toBeLessThan(smoke[0]!);
    const pack = at(/electron-builder .*\$\{\{ matrix\.target \}\}/);
    expect(smoke[0]!).toBeLessThan(pack);
    expect(pack).toBeLessThan(smoke[1]!);
    for (const m of job.strategy!.matrix.include) expect(String(m['target'])).toMatch(/^--(linux|win|mac) dir$/);
    expect(job.steps[smoke[1]!]!.env).toEqual({ KAIWA_SMOKE_PACKAGED: 'dist' });
    expect(job.env).toMatchObject({ KAIWA_SMOKE_REQUIRED: '1' });
    // The spec knows both variables (the same file that skips here).
    const specText = readFileSync(spec, 'utf8') + readFileSync('e2e/support/desktop.ts', 'utf8');
    expect(specText).toContain('KAIWA_SMOKE_REQUIRED');
    expect(specText).toContain('KAIWA_SMOKE_PACKAGED');
  });
});
