// A self-signed certificate for 127.0.0.1, for the "TLS failure" case. Generated fresh with openssl
// when it is installed; otherwise the committed TEST-ONLY pair in ./tls is used (see its README).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function selfSignedCert(): { key: string; cert: string; generated: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwa-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=kaiwa-test-only-self-signed', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore', timeout: 20_000 },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), generated: true };
  } catch {
    return { key: readFileSync(join(here, 'tls', 'test-only.key.pem'), 'utf8'), cert: readFileSync(join(here, 'tls', 'test-only.cert.pem'), 'utf8'), generated: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
