// `npm run thumbprint` against TLS servers on 127.0.0.1 presenting a chain generated here with the
// openssl CLI (root CA → intermediate CA → leaf): the thumbprint must be openssl's SHA-1 fingerprint of
// the intermediate, colons removed, whether or not the server sends the root.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateToPin,
  createProviderCommand,
  fetchChain,
  hostOf,
  ThumbprintError,
  thumbprintOf,
  type ThumbprintErrorCode,
} from '../../scripts/thumbprint';

const run = promisify(execFile);

/** The chains are made with the openssl CLI: without it this file cannot test anything, so it fails and says so. */
function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch (cause) {
    throw new Error('these tests need the openssl command (on Debian: apt-get install openssl); .ci/run installs it', { cause });
  }
}

let dir = '';
const servers: Server[] = [];
const sockets = new Set<Socket>();

async function openssl(...args: string[]): Promise<string> {
  const { stdout } = await run('openssl', args, { cwd: dir });
  return stdout;
}

/** P-256 keys: quick to make, and any key type works for a thumbprint. */
async function key(name: string): Promise<void> {
  await openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
}

async function selfSignedCa(name: string, cn: string): Promise<void> {
  await key(name);
  await openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}

/** A certificate for `name`, issued by `issuer`, with the extensions given. */
async function issue(name: string, cn: string, issuer: string, extensions: string): Promise<void> {
  await key(name);
  await openssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${issuer}.pem`,
    '-CAkey',
    `${issuer}.key`,
    '-set_serial',
    `0x${Date.now().toString(16)}`,
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  );
}

const CA_EXTENSIONS =
  'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';
const leafExtensions = (san: string): string =>
  `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\nauthorityKeyIdentifier=keyid\n`;

/** What openssl itself says: `openssl x509 -fingerprint -sha1`, colons dropped. */
async function opensslThumbprint(name: string): Promise<string> {
  const out = await openssl('x509', '-in', `${name}.pem`, '-noout', '-fingerprint', '-sha1');
  const match = /Fingerprint=([0-9A-F:]+)/i.exec(out);
  if (!match?.[1]) throw new Error(`unexpected openssl output: ${out}`);
  return match[1].replaceAll(':', '').toUpperCase();
}

const pem = (name: string): Promise<string> => readFile(join(dir, `${name}.pem`), 'utf8');

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TLS server on 127.0.0.1 presenting `chain` (PEM names, leaf first) with the leaf's key. */
async function tlsServer(chain: string[], onServername?: (name: string) => void): Promise<number> {
  const certs = await Promise.all(chain.map(pem));
  const server = createTlsServer(
    {
      key: await readFile(join(dir, `${chain[0]}.key`)),
      cert: certs.join(''),
      // Called with the ClientHello's server_name; no context means the default one above.
      SNICallback: (name, answer) => {
        onServername?.(name);
        answer(null, undefined);
      },
    },
    (socket) => socket.end(),
  );
  return listen(server);
}

/** A port on which nothing listens: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function codeOf(promise: Promise<unknown>): Promise<ThumbprintErrorCode | string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof ThumbprintError ? error.code : `not a ThumbprintError: ${String(error)}`;
  }
}

/** The script as a person runs it, through package.json's `thumbprint` line. */
async function npmThumbprint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'thumbprint', '--', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: String(failed.stdout ?? ''),
      stderr: String(failed.stderr ?? ''),
    };
  }
}

describe('npm run thumbprint', () => {
  let rootCa = '';
  let expected = { intermediate: '', root: '', leaf: '' };
  let leafAndIntermediate = 0;

  beforeAll(async () => {
    requireOpenssl();
    dir = await mkdtemp(join(tmpdir(), 'thumbprint-'));
    await selfSignedCa('root', 'Thumbprint Test Root CA');
    await issue('intermediate', 'Thumbprint Test Intermediate CA', 'root', CA_EXTENSIONS);
    await issue('leaf', 'localhost', 'intermediate', leafExtensions('DNS:localhost,IP:127.0.0.1'));
    await issue('direct', 'localhost', 'root', leafExtensions('DNS:localhost,IP:127.0.0.1'));
    await issue('elsewhere', 'other.example', 'intermediate', leafExtensions('DNS:other.example'));
    rootCa = await pem('root');
    expected = {
      intermediate: await opensslThumbprint('intermediate'),
      root: await opensslThumbprint('root'),
      leaf: await opensslThumbprint('leaf'),
    };
    // What servers usually send: the leaf and the intermediates, not the root.
    leafAndIntermediate = await tlsServer(['leaf', 'intermediate']);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the intermediate CA thumbprint openssl computes, and the IAM command with it', async () => {
    const { code, stdout, stderr } = await npmThumbprint(
      '127.0.0.1',
      '--port',
      String(leafAndIntermediate),
      '--ca',
      join(dir, 'root.pem'),
      '--client-id',
      'abc123',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Thumbprint: ${expected.intermediate}`);
    expect(stdout).toContain(
      `aws iam create-open-id-connect-provider --url https://127.0.0.1 --client-id-list abc123 --thumbprint-list ${expected.intermediate}`,
    );
    expect(expected.intermediate).toMatch(/^[0-9A-F]{40}$/);
  });

  it('walks issuerCertificate past what the server sent, to the root in the trust store', async () => {
    const chain = await fetchChain('127.0.0.1', leafAndIntermediate, { ca: rootCa });
    expect(chain.map((cert) => cert.subject)).toEqual(['CN=localhost', 'CN=Thumbprint Test Intermediate CA', 'CN=Thumbprint Test Root CA']);
    expect(chain.map(thumbprintOf)).toEqual([expected.leaf, expected.intermediate, expected.root]);
  });

  it('takes the intermediate, not the root, when the server sends the root too', async () => {
    const port = await tlsServer(['leaf', 'intermediate', 'root']);
    const chain = await fetchChain('127.0.0.1', port, { ca: rootCa });
    expect(chain).toHaveLength(3);
    expect(thumbprintOf(certificateToPin(chain))).toBe(expected.intermediate);
  });

  it('takes the root when the leaf is issued by the root directly', async () => {
    const port = await tlsServer(['direct']);
    const chain = await fetchChain('127.0.0.1', port, { ca: rootCa });
    expect(chain).toHaveLength(2);
    expect(thumbprintOf(certificateToPin(chain))).toBe(expected.root);
  });

  it('sends the domain as SNI', async () => {
    const names: string[] = [];
    const port = await tlsServer(['leaf', 'intermediate'], (name) => names.push(name));
    await fetchChain('localhost', port, { ca: rootCa });
    expect(names).toEqual(['localhost']);
  });

  it('refuses a chain it cannot verify, rather than print its thumbprint', async () => {
    // Node's bundled roots do not include the test root.
    expect(await codeOf(fetchChain('127.0.0.1', leafAndIntermediate))).toBe('UNTRUSTED');
  });

  it('refuses a certificate for another host', async () => {
    const port = await tlsServer(['elsewhere', 'intermediate']);
    expect(await codeOf(fetchChain('127.0.0.1', port, { ca: rootCa }))).toBe('UNTRUSTED');
  });

  it('says so when nothing listens on the port', async () => {
    const port = await closedPort();
    expect(await codeOf(fetchChain('127.0.0.1', port))).toBe('CONNECTION_REFUSED');
    const { code, stdout, stderr } = await npmThumbprint('127.0.0.1', '--port', String(port));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Nothing accepts connections at 127.0.0.1:${port} (connection refused)`);
  });

  it('says so when the port speaks HTTP rather than TLS', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('plain')));
    expect(await codeOf(fetchChain('127.0.0.1', port))).toBe('NOT_TLS');
    const { code, stderr } = await npmThumbprint('127.0.0.1', '--port', String(port));
    expect(code).toBe(1);
    expect(stderr).toContain(`127.0.0.1:${port} did not answer with TLS`);
  });

  it('says so when the port closes the connection without a handshake', async () => {
    const port = await listen(createTcpServer((socket) => socket.destroy()));
    expect(await codeOf(fetchChain('127.0.0.1', port))).toBe('CONNECTION_CLOSED');
  });

  it('gives up on a port that accepts and never answers', async () => {
    const port = await listen(createTcpServer(() => undefined));
    const started = performance.now();
    expect(await codeOf(fetchChain('127.0.0.1', port, { timeoutMs: 300 }))).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('the command line', () => {
  it('takes a bare domain, an https URL or the issuer with its trailing slash', () => {
    expect(hostOf('tenant.us.auth0.com')).toBe('tenant.us.auth0.com');
    expect(hostOf('https://tenant.us.auth0.com')).toBe('tenant.us.auth0.com');
    expect(hostOf(' https://tenant.us.auth0.com/ ')).toBe('tenant.us.auth0.com');
  });

  it('refuses http, a path, a port in the domain and an empty domain', () => {
    for (const domain of ['http://tenant.auth0.com', 'https://tenant.auth0.com/oauth', 'tenant.auth0.com:8443', '', 'https://']) {
      expect(() => hostOf(domain), domain).toThrow(ThumbprintError);
    }
  });

  it('writes the IAM call with the domain as the provider URL, without a trailing slash', () => {
    expect(createProviderCommand('tenant.auth0.com', 'cid', 'AB'.repeat(20))).toBe(
      `aws iam create-open-id-connect-provider --url https://tenant.auth0.com --client-id-list cid --thumbprint-list ${'AB'.repeat(20)}`,
    );
  });

  it('exits 2 with the usage on a missing domain or a bad port', async () => {
    const missing = await npmThumbprint();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run thumbprint -- DOMAIN');
    const badPort = await npmThumbprint('tenant.auth0.com', '--port', '70000');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be 1 to 65535');
  });
});
