// The IAM roles STS knows: the template's AuthenticatedRole, with its trust policy exactly as
// deploy/cloudformation.json writes it (its `Ref`s resolved for this pool), plus any a test adds.
import template from '../../deploy/cloudformation.json';
import { ACCOUNT_ID, ROLE } from '../dynamodb/policy';
import { isObject } from '../http';
import type { ExtraRole } from '../types';
import { unscopedTrustProblem } from './trust-policy';

export interface Role {
  arn: string;
  name: string;
  trustPolicy: unknown;
  /** Seconds; IAM's default is one hour. */
  maxSessionDuration: number;
}

const DEFAULT_MAX_SESSION = 3600;

export function roleArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
}

/** Replaces `{ "Ref": name }` with its value; a Ref the stack cannot resolve is a start-up error. */
function resolveRefs(value: unknown, refs: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, refs));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const name = value['Ref'];
    const resolved = typeof name === 'string' ? refs[name] : undefined;
    if (resolved === undefined) throw new Error(`the local stack cannot resolve { "Ref": ${JSON.stringify(name)} } in a trust policy`);
    return resolved;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveRefs(item, refs)]));
}

function templateRole(poolId: string): Role {
  const resource = template.Resources.AuthenticatedRole;
  const properties: Record<string, unknown> = resource.Properties;
  const max = properties['MaxSessionDuration'];
  return {
    arn: roleArn(ROLE),
    name: ROLE,
    trustPolicy: resolveRefs(resource.Properties.AssumeRolePolicyDocument, { IdentityPool: poolId }),
    maxSessionDuration: typeof max === 'number' ? max : DEFAULT_MAX_SESSION,
  };
}

export interface RoleRegistry {
  find(arn: string): Role | undefined;
  /** The template's role: the one the extension and the doctor are told about. */
  deployed: Role;
}

/** `deployedTrust`: a trust policy for the template's role in place of its own (a test's broken one). */
export function createRoleRegistry(poolId: string, extra: readonly ExtraRole[] = [], deployedTrust?: unknown): RoleRegistry {
  const template = templateRole(poolId);
  const deployed = deployedTrust === undefined ? template : { ...template, trustPolicy: resolveRefs(deployedTrust, { IdentityPool: poolId }) };
  const roles = [
    deployed,
    ...extra.map((role) => ({
      arn: roleArn(role.name),
      name: role.name,
      trustPolicy: resolveRefs(role.trustPolicy, { IdentityPool: poolId }),
      maxSessionDuration: role.maxSessionDuration ?? DEFAULT_MAX_SESSION,
    })),
  ];
  for (const role of roles) {
    const problem = unscopedTrustProblem(role.trustPolicy);
    if (problem) throw new Error(`the local stack cannot create role ${role.name}: ${problem}`);
  }
  const byArn = new Map(roles.map((role) => [role.arn, role]));
  return { deployed, find: (arn) => byArn.get(arn) };
}
