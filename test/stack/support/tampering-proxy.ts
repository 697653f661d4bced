// A man in the middle between the SDK and the stack: forwards every request after `tamper` has had its way
// with it, to show what the stack makes of a request altered in transit.
import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InTransit {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface TamperingProxy {
  /** The target URL, through the proxy. */
  url: string;
  close(): Promise<void>;
}

export async function startTamperingProxy(target: string, tamper: (request: InTransit) => InTransit): Promise<TamperingProxy> {
  const targetUrl = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const altered = tamper({ headers: { ...req.headers }, body: Buffer.concat(chunks) });
    const headers = { ...altered.headers, 'content-length': String(altered.body.length) };
    const upstream = forward({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.end(altered.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
