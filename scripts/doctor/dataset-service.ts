// The chosen dataset service, checked with the credentials of a real sign-in (--id-token): for Cognito
// Sync, that the identity pool's role may call it on the person's own identity (one ListRecords, read
// only); DynamoDB is checked by the extension's first sync, which names the table and the policy.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { ListRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { createCognitoSyncClient } from '../../src/background/sync/cognito-sync-remote';
import { endpointsOf, loginsKey, type Settings } from '../../src/shared/settings';
import { result, type CheckResult } from '../../src/shared/checks/types';

const TITLE = 'Dataset service';
const POLICY_FIX =
  'Attach deploy/cognito-sync-policy.json (REGION, ACCOUNT and IDENTITY_POOL_ID filled in) to the identity pool’s authenticated role: docs/setup.md, “You already use Cognito Sync”.';

function describe(error: unknown): { name: string; message: string } {
  const name = error instanceof Error ? error.name : 'Error';
  return { name, message: error instanceof Error ? error.message : String(error) };
}

export async function checkDatasetService(settings: Settings | undefined, idToken: string | undefined): Promise<CheckResult> {
  if (!settings) return result('datasetService', 'skip', TITLE, 'skipped: the settings are not all valid');
  if (settings.syncBackend !== 'cognitoSync') {
    return result(
      'datasetService',
      'skip',
      TITLE,
      'DynamoDB: not checked from here; the extension’s first sync names the table and the role’s policy if they are wrong',
    );
  }
  if (idToken === undefined) {
    return result(
      'datasetService',
      'skip',
      TITLE,
      'Cognito Sync: give --id-token FILE (a token from a real sign-in) to check that the role may call Cognito Sync',
    );
  }
  const endpoints = endpointsOf(settings);
  const cognito = new CognitoIdentityClient({ region: endpoints.region, endpoint: endpoints.cognitoIdentity, maxAttempts: 1 });
  try {
    const logins = { [loginsKey(endpoints.issuer.href)]: idToken };
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: settings.identityPoolId, Logins: logins }));
    const { Credentials: c } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
    if (!IdentityId || !c?.AccessKeyId || !c.SecretKey || !c.SessionToken) {
      return result(
        'datasetService',
        'fail',
        TITLE,
        'Cognito Identity answered without credentials.',
        'Check the identity pool’s authenticated role.',
      );
    }
    const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken };
    const sync = createCognitoSyncClient({ region: endpoints.region, endpoint: endpoints.cognitoSync, credentials: async () => credentials });
    try {
      const answer = await sync.send(
        new ListRecordsCommand({ IdentityPoolId: settings.identityPoolId, IdentityId, DatasetName: settings.datasetName, MaxResults: 1 }),
      );
      return result(
        'datasetService',
        'pass',
        TITLE,
        `Cognito Sync at ${endpoints.cognitoSync}: the role may read dataset ${settings.datasetName} of ${IdentityId} (sync count ${answer.DatasetSyncCount ?? 0}).`,
      );
    } catch (error) {
      const { name, message } = describe(error);
      const denied = name === 'AccessDeniedException' || name === 'NotAuthorizedException';
      return result(
        'datasetService',
        'fail',
        TITLE,
        `Cognito Sync refused ListRecords (${name}: ${message}).`,
        denied ? POLICY_FIX : 'Check the Cognito Sync endpoint (leave it empty for AWS’s).',
      );
    } finally {
      sync.destroy();
    }
  } catch (error) {
    const { name, message } = describe(error);
    return result(
      'datasetService',
      'fail',
      TITLE,
      `no credentials for the ID token (${name}: ${message}).`,
      'Sign in again for a fresh ID token; the Cognito Identity check above says more.',
    );
  } finally {
    cognito.destroy();
  }
}
