// CORS as the extension meets it. AWS endpoints allow any origin ('*') and the SDK's headers; the identity
// provider (oidc-provider's clientBasedCORS) allows extension origins only.

const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-crc32, Date';
const PREFLIGHT_MAX_AGE_SECONDS = '172800';

/** Request headers the AWS SDKs send from a browser. */
function isAwsRequestHeader(name: string): boolean {
  return name.startsWith('x-amz-') || name.startsWith('amz-sdk-') || name === 'authorization' || name === 'content-type';
}

/** chrome-extension://<id> and moz-extension://<per-install uuid>. */
export function isExtensionOrigin(origin: string): boolean {
  return origin.startsWith('chrome-extension://') || origin.startsWith('moz-extension://');
}

/** Headers answering an AWS CORS preflight (OPTIONS with Access-Control-Request-*). */
export function awsPreflightHeaders(requestMethod: string | undefined, requestHeaders: string | undefined): Record<string, string> {
  const allowed = (requestHeaders ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && isAwsRequestHeader(name));
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': requestMethod ?? 'POST',
    'Access-Control-Allow-Headers': allowed.join(', '),
    'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
  };
}

/** Headers on an AWS response to a cross-origin request. */
export function awsCorsHeaders(): Record<string, string> {
  return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
}
