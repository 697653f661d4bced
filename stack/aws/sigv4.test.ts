import { describe, expect, it } from 'vitest';
import { AwsError } from '../http';
import { canonicalRequest, computeSignature, verifySignature } from './sigv4';
import type { ReceivedRequest, SecretFor, VerifyOptions } from './sigv4';

// AWS's published SigV4 test suite (aws-sig-v4-test-suite): get-vanilla and post-vanilla.
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXAMPLE_SCOPE = '20150830/us-east-1/service/aws4_request';
const vanilla = (method: string): ReceivedRequest => ({
  method,
  url: '/',
  headers: { host: ['example.amazonaws.com'], 'x-amz-date': ['20150830T123600Z'] },
  body: Buffer.alloc(0),
});

describe('the signature computation', () => {
  it('matches the AWS test suite for get-vanilla', () => {
    const canonical = canonicalRequest(vanilla('GET'), ['host', 'x-amz-date']);
    expect(computeSignature(EXAMPLE_SECRET, '20150830T123600Z', EXAMPLE_SCOPE, canonical)).toBe(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('matches the AWS test suite for post-vanilla', () => {
    const canonical = canonicalRequest(vanilla('POST'), ['host', 'x-amz-date']);
    expect(computeSignature(EXAMPLE_SECRET, '20150830T123600Z', EXAMPLE_SCOPE, canonical)).toBe(
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });
});

describe('verifySignature', () => {
  const now = Date.UTC(2015, 7, 30, 12, 36, 0);
  const secret: SecretFor & { name: string } = {
    name: 'alice',
    secretAccessKey: EXAMPLE_SECRET,
    sessionToken: 'session-token',
    expiresAt: now + 10 * 60_000,
  };
  const lookup = (key: string) => (key === 'ASIAEXAMPLE' ? secret : undefined);
  const options: VerifyOptions<SecretFor & { name: string }> = { service: 'dynamodb', region: 'us-east-1', now, lookup };

  function signed(overrides: { body?: string; secretAccessKey?: string; scope?: string; amzDate?: string; keyId?: string } = {}): ReceivedRequest {
    const amzDate = overrides.amzDate ?? '20150830T123600Z';
    const request: ReceivedRequest = {
      method: 'POST',
      url: '/dynamodb/',
      headers: {
        host: ['127.0.0.1:4599'],
        'x-amz-date': [amzDate],
        'x-amz-security-token': ['session-token'],
        'x-amz-target': ['DynamoDB_20120810.GetItem'],
      },
      body: Buffer.from('{"TableName":"ExtensionDatasets"}'),
    };
    const signedHeaders = ['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target'];
    const scope = overrides.scope ?? `${amzDate.slice(0, 8)}/us-east-1/dynamodb/aws4_request`;
    const signature = computeSignature(overrides.secretAccessKey ?? EXAMPLE_SECRET, amzDate, scope, canonicalRequest(request, signedHeaders));
    request.headers['authorization'] = [
      `AWS4-HMAC-SHA256 Credential=${overrides.keyId ?? 'ASIAEXAMPLE'}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    ];
    if (overrides.body !== undefined) request.body = Buffer.from(overrides.body);
    return request;
  }

  function refusal(request: ReceivedRequest, opts = options): AwsError {
    try {
      verifySignature(request, opts);
    } catch (error) {
      if (error instanceof AwsError) return error;
      throw error;
    }
    throw new Error('the request was accepted');
  }

  it('answers the credentials that signed a valid request', () => {
    expect(verifySignature(signed(), options).name).toBe('alice');
  });

  it('refuses a body changed after signing', () => {
    expect(refusal(signed({ body: '{"TableName":"Other"}' })).name).toBe('InvalidSignatureException');
  });

  it('refuses a signature made with another secret', () => {
    const error = refusal(signed({ secretAccessKey: 'not-the-secret' }));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  it('refuses an unknown access key as an invalid security token', () => {
    expect(refusal(signed({ keyId: 'ASIAUNKNOWN' })).message).toBe('The security token included in the request is invalid.');
  });

  it('refuses a request whose session token is not the one issued with the key', () => {
    const request = signed();
    request.headers['x-amz-security-token'] = ['another-token'];
    expect(refusal(request).name).toBe('UnrecognizedClientException');
  });

  it('refuses expired credentials', () => {
    const error = refusal(signed(), { ...options, now: secret.expiresAt });
    expect([error.name, error.message]).toEqual(['ExpiredTokenException', 'The security token included in the request is expired']);
  });

  it('refuses a signature older than 15 minutes', () => {
    const error = refusal(signed(), { ...options, now: now + 16 * 60_000 });
    expect(error.message).toBe('Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)');
  });

  it('refuses a signature older than the window a service sets (Cognito Sync: 5 minutes)', () => {
    expect(verifySignature(signed(), { ...options, now: now + 4 * 60_000, maxSkewMinutes: 5 }).name).toBe('alice');
    const error = refusal(signed(), { ...options, now: now + 6 * 60_000, maxSkewMinutes: 5 });
    expect(error.message).toBe('Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)');
  });

  it('refuses credentials scoped to another service', () => {
    expect(refusal(signed({ scope: '20150830/us-east-1/s3/aws4_request' })).message).toBe(
      "Credential should be scoped to correct service: 'dynamodb'.",
    );
  });

  it('refuses an unsigned request', () => {
    const request = signed();
    delete request.headers['authorization'];
    expect(refusal(request).name).toBe('MissingAuthenticationTokenException');
  });
});
