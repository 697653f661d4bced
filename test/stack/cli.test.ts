// `npm run stack` as a person runs it: ready line, config, clean stop on Ctrl-C.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run stack', () => {
  it('prints its URL when ready, serves its config, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'stack/cli.ts', '--port', '0', '--memory', '--quiet'], { cwd: ROOT });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const url = /stack ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${stdout}`)));
    });
    try {
      const url = await ready;
      const config: unknown = await (await fetch(`${url}/_stack/config`)).json();
      expect(config).toMatchObject({ issuer: `${url}/`, endpoints: { dynamodb: `${url}/dynamodb` } });
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stdout).toContain('stack stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
