// The identity pool's authenticated role for Cognito Sync, read from deploy/cognito-sync-policy.json (the
// snippet an existing Cognito Sync customer attaches), so the stack allows exactly what it allows: its
// `cognito-sync:` actions, on resources under the caller's own identity
// (`…:identitypool/POOL/identity/${cognito-identity.amazonaws.com:sub}` and `…/*`). Anything else is
// implicitly denied, with IAM's answer. Wildcards as IAM matches them: `*` any run of characters, `?` one.
import snippet from '../../deploy/cognito-sync-policy.json';
import { AwsError, isObject } from '../http';

const ACCOUNT_ID = '000000000000';
const ROLE = 'Cognito_ExtensionDatasetsAuth_Role';
// biome-ignore lint/suspicious/noTemplateCurlyInString: IAM's own ${…} syntax
const SUB = '${cognito-identity.amazonaws.com:sub}';

interface Statement {
  actions: string[];
  resources: string[];
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

function allowStatements(document: unknown): Statement[] {
  const statements = isObject(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
  return statements.flatMap((statement: unknown) =>
    isObject(statement) && statement['Effect'] === 'Allow'
      ? [{ actions: strings(statement['Action']), resources: strings(statement['Resource']) }]
      : [],
  );
}

const STATEMENTS = allowStatements(snippet);
if (STATEMENTS.length === 0) throw new Error('deploy/cognito-sync-policy.json allows nothing: the stack would refuse every Cognito Sync request');

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** The resource an action on (pool, identity[, dataset]) names. */
export function resourceArn(region: string, poolId: string, identityId: string, datasetName?: string): string {
  const identity = `arn:aws:cognito-sync:${region}:${ACCOUNT_ID}:identitypool/${poolId}/identity/${identityId}`;
  return datasetName === undefined ? identity : `${identity}/dataset/${datasetName}`;
}

/** Throws IAM's AccessDeniedException (403) unless the role allows `action` on `resource` for this caller. */
export function authorize(action: string, resource: string, caller: { region: string; poolId: string; identityId: string }): void {
  const allowed = STATEMENTS.some(
    (statement) =>
      statement.actions.some((pattern) => wildcard(pattern).test(`cognito-sync:${action}`)) &&
      statement.resources.some((pattern) =>
        wildcard(
          pattern
            .replace('REGION', caller.region)
            .replace('ACCOUNT', ACCOUNT_ID)
            .replace('IDENTITY_POOL_ID', caller.poolId)
            .replaceAll(SUB, caller.identityId),
        ).test(resource),
      ),
  );
  if (allowed) return;
  throw new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLE}/CognitoIdentityCredentials is not authorized to perform: ` +
      `cognito-sync:${action} on resource: ${resource}`,
    403,
  );
}
