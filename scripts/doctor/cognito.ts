// The doctor's GetId: the AWS SDK's client, as the extension's worker sends it. The checks that read its
// answer are shared with the options page's Check (src/shared/checks/cognito.ts).
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { GetIdProbe } from '../../src/shared/checks/types';

/** The real probe: @aws-sdk/client-cognito-identity, one attempt, bounded in time. */
export const sdkGetId: GetIdProbe = async ({ endpoint, region, identityPoolId, logins, timeoutMs }) => {
  const client = new CognitoIdentityClient({
    region,
    endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
  });
  try {
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
    return IdentityId;
  } finally {
    client.destroy();
  }
};
