// The IAM policy of the identity pool's authenticated role, as a real deployment writes it:
//   Allow dynamodb:{GetItem,PutItem,UpdateItem,DeleteItem,Query,BatchGetItem,BatchWriteItem,ConditionCheckItem,
//   DescribeTable} on table/ExtensionDatasets and its indexes, Condition ForAllValues:StringEquals
//   dynamodb:LeadingKeys = ${cognito-identity.amazonaws.com:sub}. Everything else is implicitly denied.
import { AwsError, isObject } from './http';
import { PARTITION_KEY, TABLE_NAME } from './table';

const ACCOUNT_ID = '000000000000';
const ROLE = 'Cognito_ExtensionDatasetsAuth_Role';

export const ALLOWED_ACTIONS = new Set([
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
export function authorize(identityId: string, accesses: Access[]): void {
  for (const access of accesses) {
    const allowed =
      ALLOWED_ACTIONS.has(access.action) &&
      access.table === TABLE_NAME &&
      // ForAllValues: a request naming no partition key (DescribeTable) satisfies the condition.
      access.leadingKeys.every((key) => leadingKeyValue(key) === identityId);
    if (!allowed) throw accessDenied(access);
  }
}
