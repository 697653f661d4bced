// /_stack/*: what tests and benchmarks use to read the configuration and counters and to inject faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meter } from './counters';
import { parseFault } from './faults';
import type { FaultRegistry } from './faults';
import { readBody, sendJson } from './http';
import { adminRefusal } from './request-guard';
import type { StackConfig } from './types';

export interface AdminOptions {
  config: StackConfig;
  meter: Meter;
  faults: FaultRegistry;
  /** The Host values that name this stack: an Origin among them is the stack's own. */
  hosts: ReadonlySet<string>;
}

function noContent(res: ServerResponse): void {
  res.writeHead(204).end();
}

export function createAdmin({ config, meter, faults, hosts }: AdminOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
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
      default:
        return sendJson(res, 404, {
          error: `no such admin route: ${route}`,
          routes: ['GET /_stack/config', 'GET /_stack/counters', 'POST /_stack/counters/reset', 'POST /_stack/faults', 'DELETE /_stack/faults'],
        });
    }
  };
}
