// A web page the person happens to visit must not drive the local stack: not by a cross-site form POST to
// its admin API, and not by rebinding its own domain name to 127.0.0.1 (a foreign Host header).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';

let stack: Stack;
let port: number;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  port = Number(new URL(stack.url).port);
});

afterAll(async () => {
  await stack.close();
});

/** A raw HTTP request to the stack, with exactly these headers (fetch would not let a test set Host). */
function call(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const discoveryFault = JSON.stringify({ service: 'oidc', operation: 'discovery', kind: 'error', status: 503 });
const discoveryStatus = async () => (await call('GET', '/.well-known/openid-configuration', {})).status;

describe('the admin API', () => {
  it('refuses a cross-site form POST, and adds no fault', async () => {
    const answer = await call(
      'POST',
      '/_stack/faults',
      {
        origin: 'https://attacker.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'text/plain',
      },
      discoveryFault,
    );
    expect(answer.status).toBe(403);
    expect(await discoveryStatus()).toBe(200);
  });

  it('refuses a JSON POST from another origin', async () => {
    const answer = await call('POST', '/_stack/faults', { origin: 'https://attacker.example', 'content-type': 'application/json' }, discoveryFault);
    expect(answer.status).toBe(403);
    expect(await discoveryStatus()).toBe(200);
  });

  it('refuses a POST a browser marks cross-site even without an Origin', async () => {
    const answer = await call('POST', '/_stack/faults', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, discoveryFault);
    expect(answer.status).toBe(403);
    expect(await discoveryStatus()).toBe(200);
  });

  it('refuses a POST that is not JSON (what a form can send), and resets no counter', async () => {
    await call('GET', '/.well-known/jwks.json', {});
    const answer = await call('POST', '/_stack/counters/reset', {});
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toEqual({ error: 'admin POSTs must send Content-Type: application/json' });
    expect(stack.counters()['oidc.jwks']?.requests).toBeGreaterThan(0);
  });

  it("accepts a JSON POST from a test or the stack's own origin", async () => {
    const answer = await call(
      'POST',
      '/_stack/faults',
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      discoveryFault,
    );
    expect(answer.status).toBe(201);
    expect(await discoveryStatus()).toBe(503);
  });
});

describe('the Host header', () => {
  it.each(['/.well-known/openid-configuration', '/_stack/config', '/cognito-identity', '/dynamodb'])('refuses a foreign host at %s', async (path) => {
    const answer = await call(path.startsWith('/_stack') || path.startsWith('/.well') ? 'GET' : 'POST', path, { host: `attacker.example:${port}` });
    expect(answer.status).toBe(421);
    expect(answer.text).toContain('attacker.example');
  });

  it('refuses a loopback name with another port (a rebinding page on its own port)', async () => {
    expect((await call('GET', '/_stack/config', { host: `localhost:${port + 1}` })).status).toBe(421);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('accepts %s with the stack port', async (name) => {
    const answer = await call('GET', '/_stack/config', { host: `${name}:${port}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ issuer: `http://127.0.0.1:${port}/` });
  });
});
