// The IAM policy of the identity pool's authenticated role, as deploy/cloudformation.json writes it: its
// statements, each allowing some dynamodb actions on the table or on an index of it (the template allows
// Query on the bySync index only, and the item actions on the table only), all with the Condition
// ForAllValues:StringEquals dynamodb:LeadingKeys = ${cognito-identity.amazonaws.com:sub}. Everything else
// is implicitly denied. The statements are read from the template itself, so the stack cannot drift from
// what a real deployment allows.
import template from '../../deploy/cloudformation.json';
import { AwsError, isObject } from '../http';
import { PARTITION_KEY, TABLE_NAME } from './table';

/** The account the stack's resources live in, as IAM and STS name it in ARNs. */
export const ACCOUNT_ID = '000000000000';
/** The name the stack gives the template's AuthenticatedRole (CloudFormation would generate one). */
export const ROLE = 'Cognito_ExtensionDatasetsAuth_Role';
/** The template's logical id of the table, as its Resource entries name it. */
const TABLE_RESOURCE = 'DatasetTable';

/** A resource a statement names: the table itself, or an index of it ('*': any index). */
export interface PolicyResource {
  index?: string;
}

export interface PolicyStatement {
  /** dynamodb actions without the prefix. */
  actions: ReadonlySet<string>;
  resources: readonly PolicyResource[];
}

export type RolePolicy = readonly PolicyStatement[];

function statementsOf(document: unknown): unknown[] {
  return isObject(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
}

/** `{"Fn::GetAtt": ["DatasetTable", "Arn"]}` or `{"Fn::Sub": "${DatasetTable.Arn}/index/NAME"}`. */
function resourceOf(entry: unknown): PolicyResource {
  const getAtt = isObject(entry) ? entry['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && getAtt[0] === TABLE_RESOURCE && getAtt[1] === 'Arn') return {};
  const sub = isObject(entry) ? entry['Fn::Sub'] : undefined;
  const index = typeof sub === 'string' ? new RegExp(`^\\$\\{${TABLE_RESOURCE}\\.Arn\\}/index/([\\w.*-]+)$`).exec(sub)?.[1] : undefined;
  if (index !== undefined) return { index };
  throw new Error(`deploy/cloudformation.json: the stack does not understand the Resource ${JSON.stringify(entry)}`);
}

/** The `dynamodb:` statements of the template's roles. */
function deployedPolicy(cloudFormation: unknown): RolePolicy {
  const policy: PolicyStatement[] = [];
  const resources = isObject(cloudFormation) && isObject(cloudFormation['Resources']) ? Object.values(cloudFormation['Resources']) : [];
  for (const resource of resources) {
    if (!isObject(resource) || resource['Type'] !== 'AWS::IAM::Role' || !isObject(resource['Properties'])) continue;
    const policies = resource['Properties']['Policies'];
    for (const document of Array.isArray(policies) ? policies : []) {
      for (const statement of statementsOf(isObject(document) ? document['PolicyDocument'] : undefined)) {
        if (!isObject(statement) || statement['Effect'] !== 'Allow') continue;
        const listed = statement['Action'];
        const actions = (Array.isArray(listed) ? listed : [listed])
          .filter((action): action is string => typeof action === 'string' && action.startsWith('dynamodb:'))
          .map((action) => action.slice('dynamodb:'.length));
        if (actions.length === 0) continue;
        const named = statement['Resource'];
        policy.push({ actions: new Set(actions), resources: (Array.isArray(named) ? named : [named]).map(resourceOf) });
      }
    }
  }
  if (policy.length === 0) throw new Error('deploy/cloudformation.json allows no dynamodb action: the stack would refuse everything');
  return policy;
}

/** A role allowing these actions on the table and every index of it. */
export function policyAllowing(actions: Iterable<string>): RolePolicy {
  return [{ actions: new Set(actions), resources: [{}, { index: '*' }] }];
}

/** Every action a policy allows somewhere. */
export function actionsOf(policy: RolePolicy): ReadonlySet<string> {
  return new Set(policy.flatMap((statement) => [...statement.actions]));
}

/** What the deployed role allows: the stack's default. */
export const DEPLOYED_POLICY = deployedPolicy(template);
export const DEPLOYED_ACTIONS = actionsOf(DEPLOYED_POLICY);

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
  /** A Query's IndexName: the resource is then table/NAME/index/INDEX. */
  index?: string | undefined;
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
  const index = access.index === undefined ? '' : `/index/${access.index}`;
  const resource = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${access.table ?? '*'}${index}`;
  return new AwsError(
    'com.amazon.coral.service#AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLE}/CognitoIdentityCredentials is not authorized to perform: ` +
      `dynamodb:${access.action} on resource: ${resource} because no identity-based policy allows the dynamodb:${access.action} action`,
  );
}

function coversResource(resource: PolicyResource, access: Access): boolean {
  return resource.index === undefined
    ? access.index === undefined
    : access.index !== undefined && (resource.index === '*' || resource.index === access.index);
}

function isPolicy(allowed: ReadonlySet<string> | RolePolicy): allowed is RolePolicy {
  return Array.isArray(allowed);
}

/** Throws AccessDeniedException unless the role's policy allows every access for this identity. */
export function authorize(identityId: string, accesses: Access[], allowed: ReadonlySet<string> | RolePolicy = DEPLOYED_POLICY): void {
  const policy = isPolicy(allowed) ? allowed : policyAllowing(allowed);
  for (const access of accesses) {
    const allowedHere =
      access.table === TABLE_NAME &&
      policy.some((statement) => statement.actions.has(access.action) && statement.resources.some((resource) => coversResource(resource, access))) &&
      // ForAllValues: a request naming no partition key (DescribeTable) satisfies the condition.
      access.leadingKeys.every((key) => leadingKeyValue(key) === identityId);
    if (!allowedHere) throw accessDenied(access);
  }
}
