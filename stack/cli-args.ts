// `npm run stack` flags → StackOptions.
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_TTL } from './defaults';
import type { StackOptions, TrustedProvider } from './types';

export const USAGE = `Usage: npm run stack -- [options]

Starts the local stack (OpenID Connect provider, Cognito Identity, STS, DynamoDB, Cognito Sync) on one port.

Options:
  --port N                 port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --data DIR               keep data in DIR (default ${DEFAULT_DATA_DIR}/)
  --memory                 keep everything in memory, write nothing
  --id-token-ttl S         ID token lifetime in seconds (default ${DEFAULT_TTL.idTokenTtl})
  --access-token-ttl S     access token lifetime in seconds (default ${DEFAULT_TTL.accessTokenTtl})
  --refresh-token-ttl S    refresh token lifetime in seconds (default ${DEFAULT_TTL.refreshTokenTtl})
  --session-ttl S          provider session lifetime in seconds (default ${DEFAULT_TTL.sessionTtl})
  --credentials-ttl S      AWS credentials lifetime in seconds (default ${DEFAULT_TTL.credentialsTtl})
  --trust-issuer URL       trust another OpenID Connect issuer (repeatable) ...
  --trust-client ID        ... for this client id (repeatable, follows its --trust-issuer)
  --redirect-uri URL       register one more redirect URI (repeatable)
  --id-token-alg ALG       RS256 (default) or HS256 (a misconfigured provider Cognito refuses)
  --classic-flow           the identity pool allows the basic (classic) flow: GetOpenIdToken, then STS
  --quiet                  no request log
  --help                   this text
`;

export type CliCommand = { help: true } | { help: false; options: StackOptions };

type TtlOption = 'idTokenTtl' | 'accessTokenTtl' | 'refreshTokenTtl' | 'sessionTtl' | 'credentialsTtl';

function whole(flag: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`--${flag} wants a whole number of at least ${min}, not '${value}'`);
  return number;
}

function url(flag: string, value: string): string {
  if (!URL.canParse(value)) throw new Error(`--${flag} wants a URL, not '${value}'`);
  return value;
}

/** Throws an Error whose message is meant for the person who typed the command. */
export function parseCliArgs(argv: string[]): CliCommand {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: true,
    tokens: true,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      memory: { type: 'boolean' },
      'id-token-ttl': { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
      'session-ttl': { type: 'string' },
      'credentials-ttl': { type: 'string' },
      'trust-issuer': { type: 'string', multiple: true },
      'trust-client': { type: 'string', multiple: true },
      'redirect-uri': { type: 'string', multiple: true },
      'id-token-alg': { type: 'string' },
      'classic-flow': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };

  const options: StackOptions = { log: !values.quiet };
  options.port = values.port === undefined ? DEFAULT_PORT : whole('port', values.port, 0);
  if (values.memory) options.memory = true;
  else options.dataDir = values.data ?? DEFAULT_DATA_DIR;
  const ttls: Array<[string, string | undefined, TtlOption]> = [
    ['id-token-ttl', values['id-token-ttl'], 'idTokenTtl'],
    ['access-token-ttl', values['access-token-ttl'], 'accessTokenTtl'],
    ['refresh-token-ttl', values['refresh-token-ttl'], 'refreshTokenTtl'],
    ['session-ttl', values['session-ttl'], 'sessionTtl'],
    ['credentials-ttl', values['credentials-ttl'], 'credentialsTtl'],
  ];
  for (const [flag, value, key] of ttls) if (value !== undefined) options[key] = whole(flag, value, 1);

  // Each --trust-client belongs to the --trust-issuer before it, so order matters: read the tokens.
  const trust: TrustedProvider[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'trust-issuer') {
      trust.push({ issuer: url('trust-issuer', token.value), clientIds: [] });
    } else if (token.name === 'trust-client') {
      const last = trust.at(-1);
      if (!last) throw new Error('--trust-client must follow the --trust-issuer it belongs to');
      last.clientIds.push(token.value);
    }
  }
  for (const { issuer, clientIds } of trust) {
    if (clientIds.length === 0) throw new Error(`--trust-issuer ${issuer} needs at least one --trust-client`);
  }
  if (trust.length > 0) options.trust = trust;
  if (values['redirect-uri']) options.redirectUris = values['redirect-uri'].map((uri) => url('redirect-uri', uri));

  if (values['classic-flow']) options.allowClassicFlow = true;
  const alg = values['id-token-alg'];
  if (alg !== undefined) {
    if (alg !== 'RS256' && alg !== 'HS256') throw new Error(`--id-token-alg is RS256 or HS256, not '${alg}'`);
    options.idTokenAlg = alg;
  }
  return { help: false, options };
}
