// The IAM policy of the identity pool's authenticated role, as deploy/cloudformation.json writes it:
//   Allow the template's dynamodb actions on table/ExtensionDatasets and its index, Condition
//   ForAllValues:StringEquals dynamodb:LeadingKeys = ${cognito-identity.amazonaws.com:sub}.
//   Everything else is implicitly denied. The actions are read from the template itself, so the stack
//   cannot drift from what a real deployment allows.
import template from '../../deploy/cloudformation.json';
import { AwsError, isObject } from '../http';
import { PARTITION_KEY, TABLE_NAME } from './table';

/** The account the stack's resources live in, as IAM and STS name it in ARNs. */
export const ACCOUNT_ID = '000000000000';
/** The name the stack gives the template's AuthenticatedRole (CloudFormation would generate one). */
export const ROLE = 'Cognito_ExtensionDatasetsAuth_Role';

function statementsOf(document: unknown): unknown[] {
  return isObject(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
}

/** The `dynamodb:` actions the template's roles allow, without the prefix. */
function deployedActions(cloudFormation: unknown): ReadonlySet<string> {
  const actions = new Set<string>();
  const resources = isObject(cloudFormation) && isObject(cloudFormation['Resources']) ? Object.values(cloudFormation['Resources']) : [];
  for (const resource of resources) {
    if (!isObject(resource) || resource['Type'] !== 'AWS::IAM::Role' || !isObject(resource['Properties'])) continue;
    const policies = resource['Properties']['Policies'];
    for (const policy of Array.isArray(policies) ? policies : []) {
      for (const statement of statementsOf(isObject(policy) ? policy['PolicyDocument'] : undefined)) {
        if (!isObject(statement) || statement['Effect'] !== 'Allow') continue;
        const listed = statement['Action'];
        for (const action of Array.isArray(listed) ? listed : [listed]) {
          if (typeof action === 'string' && action.startsWith('dynamodb:')) actions.add(action.slice('dynamodb:'.length));
        }
      }
    }
  }
  if (actions.size === 0) throw new Error('deploy/cloudformation.json allows no dynamodb action: the stack would refuse everything');
  return actions;
}

/** What the deployed role allows: the stack's default. */
export const DEPLOYED_ACTIONS = deployedActions(template);

/**
 * A wider role, for tests of the gateway's handling of operations the extension itself never sends
 * (batches, deletes, condition checks). Opt in with `startStack({ allowedActions: [...WIDE_ACTIONS] })`.
 */
export const WIDE_ACTIONS: ReadonlySet<string> = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'ConditionCheckItem',
  'DescribeTable',
]);

/** One IAM authorisation a request needs: an action on a table, with the partition keys it touches. */
export interface Access {
  action: string;
  /** undefined: an account-level action (ListTables...), resource table/*. */
  table: string | undefined;
  /** The `dynamodb:LeadingKeys` values: every partition key value the request names. */
  leadingKeys: unknown[];
}

function leadingKeyValue(attribute: unknown): string {
  // IAM compares the key's value as a string; a non-string key can never equal an identity id.
  return isObject(attribute) && typeof attribute['S'] === 'string' ? attribute['S'] : JSON.stringify(attribute);
}

/** The partition key value of a Key or an Item. */
export function partitionKeyOf(keyOrItem: unknown): unknown {
  return isObject(keyOrItem) ? keyOrItem[PARTITION_KEY] : undefined;
}

export function accessDenied(access: Access): AwsError {
  const resource = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${access.table ?? '*'}`;
  return new AwsError(
    'com.amazon.coral.service#AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLE}/CognitoIdentityCredentials is not authorized to perform: ` +
      `dynamodb:${access.action} on resource: ${resource} because no identity-based policy allows the dynamodb:${access.action} action`,
  );
}

/** Throws AccessDeniedException unless the role's policy allows every access for this identity. */
export function authorize(identityId: string, accesses: Access[], allowedActions: ReadonlySet<string> = DEPLOYED_ACTIONS): void {
  for (const access of accesses) {
    const allowed =
      allowedActions.has(access.action) &&
      access.table === TABLE_NAME &&
      // ForAllValues: a request naming no partition key (DescribeTable) satisfies the condition.
      access.leadingKeys.every((key) => leadingKeyValue(key) === identityId);
    if (!allowed) throw accessDenied(access);
  }
}
