// Certificates made with openssl at test time, never trusted by anything outside the test.
// - selfSignedCert: a self-signed certificate for 127.0.0.1, for the "TLS failure" case. Generated
//   fresh when openssl is installed; otherwise the committed TEST-ONLY pair in ./tls is used (see
//   its README).
// - throwawayCa: a certificate for real provider host names (the ModelScope international site, a
//   Model Studio workspace host), signed by a CA made for this one run, so a test can reach the fake
//   upstream over https under the host name Kaiwa really asks for — keys are bound to origins, and an
//   https:// origin is the only one whose key may cross a proxy (through a tunnel). Kaiwa verifies
//   TLS as always; only the host process under test trusts the CA (NODE_EXTRA_CA_CERTS, read by Node
//   at start and added to the default store every TLS connection uses, undici's included). The CA's
//   key is deleted as soon as the leaf is signed, so nothing else can ever be signed with it, and
//   there is no committed fallback: without openssl these tests fail with that reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface ThrowawayCa {
  /** The CA certificate as a file, for the process under test: `NODE_EXTRA_CA_CERTS=<caFile>`. */
  caFile: string;
  /** The leaf's key and certificate (for every host name asked for), for the TLS end of a tunnel. */
  key: string;
  cert: string;
  /** Removes the CA file. */
  dispose(): void;
}

/** A fresh CA and a leaf certificate for `hosts`, valid for one day. Throws when openssl fails. */
export function throwawayCa(hosts: string[]): ThrowawayCa {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwa-ca-'));
  const f = (name: string) => join(dir, name);
  const openssl = (args: string[]) => {
    try {
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`throwawayCa: openssl ${args[0]} failed (is openssl installed?): ${String((err as { stderr?: unknown }).stderr ?? err)}`, { cause: err });
    }
  };
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=kaiwa-test-only-throwaway-ca', ...caExt]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', `/CN=${hosts[0]}`]);
  writeFileSync(f('leaf.ext'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('leaf.pem'), '-days', '1', '-extfile', f('leaf.ext')]);
  const pair = { key: readFileSync(f('leaf.key'), 'utf8'), cert: readFileSync(f('leaf.pem'), 'utf8') };
  for (const name of ['ca.key', 'ca.srl', 'leaf.key', 'leaf.csr', 'leaf.ext', 'leaf.pem']) rmSync(f(name), { force: true });
  return { caFile: f('ca.pem'), ...pair, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
