import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

describe('npm run stack flags', () => {
  it('defaults to port 4599, .stack-data and a request log', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 4599, dataDir: '.stack-data', log: true } });
  });

  it('keeps everything in memory with --memory', () => {
    const command = parseCliArgs(['--memory', '--port', '0', '--quiet']);
    expect(command).toEqual({ help: false, options: { port: 0, memory: true, log: false } });
  });

  it('turns the basic (classic) flow on with --classic-flow, and leaves it off without', () => {
    const on = parseCliArgs(['--classic-flow']);
    expect(on.help === false && on.options.allowClassicFlow).toBe(true);
    const off = parseCliArgs([]);
    expect(off.help === false && off.options.allowClassicFlow).toBeUndefined();
  });

  it('reads the lifetimes', () => {
    const command = parseCliArgs([
      '--id-token-ttl',
      '5',
      '--access-token-ttl',
      '6',
      '--refresh-token-ttl',
      '7',
      '--session-ttl',
      '8',
      '--credentials-ttl',
      '9',
    ]);
    expect(command.help === false && command.options).toMatchObject({
      idTokenTtl: 5,
      accessTokenTtl: 6,
      refreshTokenTtl: 7,
      sessionTtl: 8,
      credentialsTtl: 9,
    });
  });

  it('gives each --trust-client to the --trust-issuer before it', () => {
    const command = parseCliArgs([
      '--trust-issuer',
      'https://a.example/',
      '--trust-client',
      'a1',
      '--trust-client',
      'a2',
      '--trust-issuer',
      'https://b.example',
      '--trust-client',
      'b1',
    ]);
    expect(command.help === false && command.options.trust).toEqual([
      { issuer: 'https://a.example/', clientIds: ['a1', 'a2'] },
      { issuer: 'https://b.example', clientIds: ['b1'] },
    ]);
  });

  it('reads redirect URIs and the ID token algorithm', () => {
    const command = parseCliArgs(['--redirect-uri', 'http://127.0.0.1/mozoauth2/x', '--id-token-alg', 'HS256']);
    expect(command.help === false && command.options).toMatchObject({ redirectUris: ['http://127.0.0.1/mozoauth2/x'], idTokenAlg: 'HS256' });
  });

  it('answers --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('refuses what it cannot use, saying why', () => {
    expect(() => parseCliArgs(['--port', 'x'])).toThrow("--port wants a whole number of at least 0, not 'x'");
    expect(() => parseCliArgs(['--trust-client', 'a'])).toThrow('--trust-client must follow the --trust-issuer it belongs to');
    expect(() => parseCliArgs(['--trust-issuer', 'https://a.example/'])).toThrow('needs at least one --trust-client');
    expect(() => parseCliArgs(['--id-token-alg', 'none'])).toThrow('--id-token-alg is RS256 or HS256');
    expect(() => parseCliArgs(['--colour'])).toThrow();
  });
});
