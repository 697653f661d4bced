// Bench part: what getting AWS credentials costs in requests at the stack, for the enhanced flow (GetId,
// GetCredentialsForIdentity) and the basic flow (GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity), run by
// the worker's own modules in Node as the integration tests run them.
import { startStack, type Stack } from '../stack/index';
import { awsIdentity } from '../src/background/credentials';
import { createHandlers } from '../src/background/worker';
import { afterBrowserRestart, authContext, newProfile, stackSettings } from '../test/support/auth-context';
import type { Settings } from '../src/shared/settings';

export interface FlowRow {
  flow: 'enhanced' | 'basic';
  case: string;
  /** The token request and every AWS request the stack served. */
  requests: number;
  bytesSent: number;
  bytesReceived: number;
  /** Requests by operation. */
  detail: string;
}

function counted(stack: Stack, flow: FlowRow['flow'], label: string): FlowRow {
  const row: FlowRow = { flow, case: label, requests: 0, bytesSent: 0, bytesReceived: 0, detail: '' };
  const parts: string[] = [];
  for (const [key, counter] of Object.entries(stack.counters())) {
    // What follows the login page: the token request and the AWS calls (discovery and keys are cached).
    if (key !== 'oidc.token' && !key.startsWith('cognito-identity.') && !key.startsWith('sts.')) continue;
    row.requests += counter.requests;
    row.bytesSent += counter.bytesIn;
    row.bytesReceived += counter.bytesOut;
    parts.push(`${key.slice(key.indexOf('.') + 1)} ${counter.requests}`);
  }
  row.detail = parts.join(', ');
  return row;
}

async function measureFlow(stack: Stack, flow: FlowRow['flow'], settings: Settings): Promise<FlowRow[]> {
  const profile = newProfile();
  const first = authContext(profile);
  await first.items.settings.set(settings);
  stack.resetCounters();
  await createHandlers(first).signIn();
  const rows = [counted(stack, flow, 'first sign-in')];

  // A worker restart keeps storage.session: nothing to fetch until the credentials are due.
  const restarted = authContext(profile);
  await restarted.items.awsCredentials.remove();
  stack.resetCounters();
  await awsIdentity(restarted);
  rows.push(counted(stack, flow, 'worker restart, credentials due'));

  stack.resetCounters();
  await createHandlers(authContext(afterBrowserRestart(profile))).signIn();
  rows.push(counted(stack, flow, 'sign-in after a browser restart'));
  return rows;
}

export async function runFlowsBench(): Promise<FlowRow[]> {
  const stack = await startStack({ port: 0, memory: true, allowClassicFlow: true });
  try {
    const enhanced = stackSettings(stack);
    const basic = { ...enhanced, roleArn: stack.config.roleArn, stsEndpoint: stack.config.endpoints.sts };
    return [...(await measureFlow(stack, 'enhanced', enhanced)), ...(await measureFlow(stack, 'basic', basic))];
  } finally {
    await stack.close();
  }
}

/** The part's tables, in bench/run.ts's shape. */
export async function flowTables(): Promise<Array<{ headers: string[]; rows: Array<Array<string | number>> }>> {
  const rows = await runFlowsBench();
  return [
    {
      headers: ['flow', 'case', 'requests', 'bytes sent', 'bytes received', 'requests by operation'],
      rows: rows.map((row) => [row.flow, row.case, row.requests, row.bytesSent, row.bytesReceived, row.detail]),
    },
  ];
}
