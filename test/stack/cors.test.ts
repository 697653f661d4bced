// CORS as the extension's pages and worker meet it: AWS answers '*' with the SDK's headers allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';

const ORIGIN = 'chrome-extension://nbkohjkjhigiocdkbdphnhfjbncbcele';
const SDK_HEADERS =
  'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-security-token,x-amz-target,x-amz-user-agent';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});

afterAll(async () => {
  await stack.close();
});

const preflight = (url: string, headers = SDK_HEADERS) =>
  fetch(url, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

describe('CORS', () => {
  it('answers a DynamoDB preflight from an extension as AWS does', async () => {
    const response = await preflight(stack.config.endpoints.dynamodb);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')?.split(', ')).toEqual(SDK_HEADERS.split(','));
  });

  it('answers a Cognito Identity preflight from a Firefox extension', async () => {
    const response = await fetch(stack.config.endpoints.cognitoIdentity, {
      method: 'OPTIONS',
      headers: {
        origin: 'moz-extension://4f1c2a9e-7d53-4c8a-b6de-3f0e9a1b2c3d',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-target');
  });

  it('does not allow headers the SDK does not send', async () => {
    const response = await preflight(stack.config.endpoints.dynamodb, 'x-amz-target,x-custom');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-amz-target');
  });

  it('exposes the AWS response headers the SDK reads', async () => {
    const response = await fetch(stack.config.endpoints.cognitoIdentity, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body: '{}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-amzn-RequestId.*x-amzn-ErrorType.*x-amz-crc32/);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  it('answers the token endpoint preflight for an extension origin', async () => {
    const response = await fetch(new URL('oauth/token', stack.config.issuer), {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });
});
