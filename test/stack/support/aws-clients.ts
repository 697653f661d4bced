// The AWS SDK clients as the extension configures them: endpoints from /_stack/config, no retries so that
// every injected fault is seen.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import type { CognitoSyncClientConfig } from '@aws-sdk/client-cognito-sync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Stack } from '../../../stack/index';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export function cognitoClient(stack: Stack): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: stack.config.region, endpoint: stack.config.endpoints.cognitoIdentity, maxAttempts: 1 });
}

/** Credentials as a client may (mis)hold them: the session token can be missing. */
export type SigningCredentials = Omit<AwsCredentials, 'sessionToken'> & { sessionToken?: string };

export function dynamoClient(stack: Stack, credentials: SigningCredentials, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb, maxAttempts: 1, credentials, ...config });
}

/** The key Cognito expects in Logins: the issuer without scheme and trailing slash. */
export function loginsKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** GetId then GetCredentialsForIdentity: the enhanced flow, for an ID token of `issuer`. */
export async function awsSession(
  stack: Stack,
  idToken: string,
  issuer = stack.config.issuer,
): Promise<{ identityId: string; credentials: AwsCredentials }> {
  const cognito = cognitoClient(stack);
  const Logins = { [loginsKey(issuer)]: idToken };
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: stack.config.identityPoolId, Logins }));
  const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = Credentials ?? {};
  if (!IdentityId || !AccessKeyId || !SecretKey || !SessionToken || !Expiration) throw new Error('incomplete credentials');
  return {
    identityId: IdentityId,
    credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretKey, sessionToken: SessionToken, expiration: Expiration },
  };
}

export function cognitoSyncClient(stack: Stack, credentials: SigningCredentials, config: CognitoSyncClientConfig = {}): CognitoSyncClient {
  return new CognitoSyncClient({ region: stack.config.region, endpoint: stack.config.endpoints.cognitoSync, maxAttempts: 1, credentials, ...config });
}
