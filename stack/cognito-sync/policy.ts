// The identity pool's authenticated role, as an existing Cognito Sync customer's role carries it
// (deploy/cognito-sync-policy.json): every `cognito-sync:` action, on the caller's own identity only:
//   arn:aws:cognito-sync:REGION:ACCOUNT:identitypool/POOL/identity/${cognito-identity.amazonaws.com:sub}
//   arn:aws:cognito-sync:REGION:ACCOUNT:identitypool/POOL/identity/${cognito-identity.amazonaws.com:sub}/*
// Anything else is implicitly denied, with IAM's answer.
import { AwsError } from '../http';

const ACCOUNT_ID = '000000000000';
const ROLE = 'Cognito_ExtensionDatasetsAuth_Role';

/** The resource an action on (pool, identity[, dataset]) names. */
export function resourceArn(region: string, poolId: string, identityId: string, datasetName?: string): string {
  const identity = `arn:aws:cognito-sync:${region}:${ACCOUNT_ID}:identitypool/${poolId}/identity/${identityId}`;
  return datasetName === undefined ? identity : `${identity}/dataset/${datasetName}`;
}

/** Throws IAM's AccessDeniedException (403) unless the role allows `action` on `resource` for this caller. */
export function authorize(action: string, resource: string, caller: { region: string; poolId: string; identityId: string }): void {
  const own = resourceArn(caller.region, caller.poolId, caller.identityId);
  if (resource === own || resource.startsWith(`${own}/`)) return;
  throw new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLE}/CognitoIdentityCredentials is not authorized to perform: ` +
      `cognito-sync:${action} on resource: ${resource}`,
    403,
  );
}
