// /_stack/*: what tests and benchmarks use to read the configuration and counters and to inject faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meter } from './counters';
import { parseFault } from './faults';
import type { FaultRegistry } from './faults';
import { isObject, readBody, sendJson } from './http';
import { adminRefusal } from './request-guard';
import type { StackConfig } from './types';

export interface AdminOptions {
  config: StackConfig;
  meter: Meter;
  faults: FaultRegistry;
  /** The Host values that name this stack: an Origin among them is the stack's own. */
  hosts: ReadonlySet<string>;
  /** Two identities merged, Cognito Identity's side and Cognito Sync's (index.ts): answers the merged datasets' new names. */
  mergeIdentities(from: string, into: string): Promise<string[]>;
}

function noContent(res: ServerResponse): void {
  res.writeHead(204).end();
}

export function createAdmin({
  config,
  meter,
  faults,
  hosts,
  mergeIdentities,
}: AdminOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const refusal = adminRefusal(req, hosts);
    if (refusal !== undefined) return sendJson(res, 403, { error: refusal });
    const route = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://stack').pathname}`;
    switch (route) {
      case 'GET /_stack/config':
        return sendJson(res, 200, config);
      case 'GET /_stack/counters':
        return sendJson(res, 200, meter.snapshot());
      case 'POST /_stack/counters/reset':
        meter.reset();
        return noContent(res);
      case 'POST /_stack/faults': {
        const text = (await readBody(req)).toString('utf8');
        try {
          const fault = parseFault(JSON.parse(text));
          faults.add(fault);
          return sendJson(res, 201, fault);
        } catch (error) {
          return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      case 'DELETE /_stack/faults':
        faults.clear();
        return noContent(res);
      case 'POST /_stack/cognito-sync/merge-identities': {
        let input: unknown;
        try {
          input = JSON.parse((await readBody(req)).toString('utf8'));
        } catch {
          input = undefined;
        }
        const from = isObject(input) ? input['from'] : undefined;
        const into = isObject(input) ? input['into'] : undefined;
        if (typeof from !== 'string' || typeof into !== 'string' || from === into) {
          return sendJson(res, 400, { error: 'expected {"from": identity id, "into": another identity id}' });
        }
        try {
          return sendJson(res, 200, { merged: await mergeIdentities(from, into) });
        } catch (error) {
          return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      default:
        return sendJson(res, 404, {
          error: `no such admin route: ${route}`,
          routes: [
            'GET /_stack/config',
            'GET /_stack/counters',
            'POST /_stack/counters/reset',
            'POST /_stack/faults',
            'DELETE /_stack/faults',
            'POST /_stack/cognito-sync/merge-identities',
          ],
        });
    }
  };
}
