// Signs a seeded user in at the local stack the way the extension does (Authorization Code + PKCE,
// then Cognito GetId and GetCredentialsForIdentity) and answers AWS credentials for that identity.
// Integration tests and the bench use it instead of the extension's sign-in code.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import * as oauth from 'oauth4webapi';
import type { Stack } from '../../stack/index';
import { loginsKey } from '../../src/shared/settings';
import { loginThroughForm } from './login-driver';

export interface StackIdentity {
  identityId: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  storedKeyId(): Promise<string | undefined>;
  /** New credentials for the same sign-in, in place of ones AWS called expired (unless replaced already). */
  replaceExpired(refused: string | undefined): Promise<void>;
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** An ID token for `username` from the stack's provider. */
export async function idTokenAtStack(stack: Stack, username: string): Promise<string> {
  const user = stack.config.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no seeded user ${username} at the stack`);
  const issuer = new URL(stack.config.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  if (!as.authorization_endpoint) throw new Error('the provider announces no authorization endpoint');
  const client: oauth.Client = { client_id: stack.config.clientId };
  const redirectUri = stack.config.redirectUris[0];
  if (!redirectUri) throw new Error('the stack registers no redirect URI');

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();

  const callback = await loginThroughForm(url.href, { username: user.username, password: user.password });
  const params = oauth.validateAuthResponse(as, client, new URL(callback), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  if (!tokens.id_token) throw new Error('no ID token');
  return tokens.id_token;
}

/**
 * `provider`: the stack whose OpenID provider signs the person in (default: `stack` itself). Another
 * stack's provider must be among `stack`'s `trust`; the identity id then is the same at both stacks,
 * since it derives from the pool, the provider and the subject.
 */
export async function signInAtStack(stack: Stack, username: string, provider: Stack = stack): Promise<StackIdentity> {
  const idToken = await idTokenAtStack(provider, username);
  const logins = { [loginsKey(provider.config.issuer)]: idToken };
  const { region, identityPoolId } = stack.config;
  const cognito = (): CognitoIdentityClient => new CognitoIdentityClient({ region, endpoint: stack.config.endpoints.cognitoIdentity });
  const credentialsOf = async (client: CognitoIdentityClient, identityId: string): Promise<AwsCredentialIdentity> => {
    const { Credentials: c } = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins }));
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('GetCredentialsForIdentity answered no credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  const client = cognito();
  try {
    const { IdentityId: identityId } = await client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
    if (!identityId) throw new Error('GetId answered no identity id');
    let credentials = await credentialsOf(client, identityId);
    return {
      identityId,
      region,
      credentials: async () => credentials,
      storedKeyId: async () => credentials.accessKeyId,
      // Asked again with the same ID token, as the extension's provider would.
      replaceExpired: async (refused) => {
        if (refused !== credentials.accessKeyId) return;
        const again = cognito();
        try {
          credentials = await credentialsOf(again, identityId);
        } finally {
          again.destroy();
        }
      },
    };
  } finally {
    client.destroy();
  }
}
