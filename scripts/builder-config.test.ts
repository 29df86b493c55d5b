// The installer configuration is checked for what a release needs, not just that it parses:
// the promised targets per platform, icons and files that exist, and the fuses we rely on.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own schema check (what `electron-builder` runs before building).
const { validateConfiguration } = createRequire(import.meta.url)(join(process.cwd(), 'node_modules/app-builder-lib/out/util/config/config.js')) as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add() {} };
// The dependencies electron-builder gives a deb when the config names none (Electron's runtime libraries).
const { default: FpmTarget } = createRequire(import.meta.url)(join(process.cwd(), 'node_modules/app-builder-lib/out/targets/FpmTarget.js')) as {
  default: { prototype: { getDefaultDepends(target: string): string[] } };
};

interface Target {
  target: string;
  arch: string[];
}
const cfg = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as {
  appId: string;
  productName: string;
  files: string[];
  directories: { buildResources: string };
  electronFuses: Record<string, boolean>;
  deb?: { depends?: string[] };
  linux: { target: Target[]; icon: string };
  win: { target: Target[]; icon: string };
  mac: { target: Target[]; icon: string; identity?: string | null };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; productName: string };

const archs = (targets: Target[], name: string) => targets.find((t) => t.target === name)?.arch ?? [];

describe('electron-builder configuration', () => {
  it('passes electron-builder\'s schema validation, which rejects an unknown option', async () => {
    await expect(validateConfiguration(cfg, quietLogger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...cfg, linux: { ...cfg.linux, notAnOption: 1 } }, quietLogger)).rejects.toThrow(/Invalid configuration/);
  });

  it('names the app', () => {
    expect(cfg.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(cfg.productName).toBe('Kaiwa');
    expect(pkg.productName).toBe('Kaiwa');
  });

  it('builds AppImage and deb for x64 and arm64, NSIS for Windows x64, a universal DMG', () => {
    for (const t of ['AppImage', 'deb']) expect(archs(cfg.linux.target, t).sort()).toEqual(['arm64', 'x64']);
    expect(archs(cfg.win.target, 'nsis')).toEqual(['x64']);
    expect(archs(cfg.mac.target, 'dmg')).toEqual(['universal']);
  });

  it('points at icons that exist and are large enough for every platform', () => {
    for (const icon of [cfg.linux.icon, cfg.win.icon, cfg.mac.icon]) {
      expect(existsSync(icon), icon).toBe(true);
      const png = readFileSync(icon);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // macOS needs 512×512 or larger to make an .icns.
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    }
    expect(existsSync(cfg.directories.buildResources)).toBe(true);
  });

  it('packages the built app: the files list covers the main entry, preload and renderer', () => {
    expect(cfg.files).toContain('out/**/*');
    expect(cfg.files).toContain('package.json');
    expect(pkg.main).toBe('out/main/index.js');
    // The entry points the build produces (see electron.vite.config.ts).
    const config = readFileSync('electron.vite.config.ts', 'utf8');
    expect(config).toContain("outDir: 'out/main'");
    expect(config).toContain("outDir: 'out/preload'");
    expect(config).toContain("'out/renderer'");
  });

  it('keeps the deb\'s default dependencies: a depends list replaces them instead of adding to them', () => {
    const defaults = FpmTarget.prototype.getDefaultDepends('deb');
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libsecret-1-0']));
    const depends = cfg.deb?.depends ?? defaults;
    expect(depends).toEqual(expect.arrayContaining(defaults));
  });

  it('gives the unsigned macOS app a valid ad-hoc signature after the fuses are flipped (or it refuses to launch on Apple Silicon)', () => {
    expect(cfg.electronFuses['resetAdHocDarwinSignature'] === true || cfg.mac.identity === '-').toBe(true);
  });

  it('turns off the fuses an attacker could use to run the binary as plain Node', () => {
    expect(cfg.electronFuses['runAsNode']).toBe(false);
    expect(cfg.electronFuses['enableNodeOptionsEnvironmentVariable']).toBe(false);
    expect(cfg.electronFuses['enableNodeCliInspectArguments']).toBe(false);
    expect(cfg.electronFuses['onlyLoadAppFromAsar']).toBe(true);
    expect(cfg.electronFuses['enableEmbeddedAsarIntegrityValidation']).toBe(true);
    // Every fuse as docs/SECURITY.md lists it: a change here must be a change there.
    const { resetAdHocDarwinSignature: _notAFuse, ...fuses } = cfg.electronFuses;
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has a release workflow that builds on version tags', () => {
    const wf = readFileSync('.github/workflows/release.yml', 'utf8');
    expect(wf).toMatch(/tags:\s*\['v\*'\]/);
    expect(wf).toContain('electron-builder --config electron-builder.json');
  });
});
