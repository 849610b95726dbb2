import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { BIN, sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer } from '../helpers/smtp.js';
import { SECRET } from './serve-site.js';

/**
 * Starts the service as a child process (`serve`, or its old name) on a port, collecting what it
 * prints; `started` resolves once it says it is listening.
 */
function startService(command: 'serve' | 'unsubscribe-server', root: string, port: number, smtpUrl: string) {
  const child = spawn(process.execPath, [BIN, command, '--root', root, '--port', String(port)], {
    env: { ...process.env, NO_COLOR: '1', SAHIFA_SECRET: SECRET, SAHIFA_SMTP_URL: smtpUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = { child, exited: once(child, 'exit'), stdout: '', stderr: '', started: Promise.resolve() };
  child.stderr.on('data', (chunk: Buffer) => (service.stderr += chunk.toString()));
  service.started = new Promise<void>((ready) =>
    child.stdout.on('data', (chunk: Buffer) => {
      service.stdout += chunk.toString();
      if (service.stdout.includes('Ctrl+C stops.')) ready();
    }),
  );
  return service;
}

describe('issue 11: `sahifa serve` on the command line', () => {
  it('says what is missing in one line: the secret, its length, the SMTP URL', async () => {
    const root = await copyFixture('serve-site');
    const runs = await Promise.all([
      sahifa(['serve', '--root', root], { env: { SAHIFA_SECRET: '', SAHIFA_SMTP_URL: 'smtp://127.0.0.1:2525' } }),
      sahifa(['serve', '--root', root], { env: { SAHIFA_SECRET: 'twelve bytes', SAHIFA_SMTP_URL: 'smtp://127.0.0.1:2525' } }),
      sahifa(['serve', '--root', root], { env: { SAHIFA_SECRET: SECRET, SAHIFA_SMTP_URL: '' } }),
    ]);
    expect(runs.map((run) => run.status)).toEqual([1, 1, 1]);
    expect(runs.map((run) => run.stdout)).toEqual(['', '', '']);
    expect(runs[0]!.stderr).toBe('error: set SAHIFA_SECRET in the environment: at least 32 random bytes, e.g. the output of "openssl rand -base64 48"; keep it secret and the same as for sahifa send\n');
    expect(runs[1]!.stderr).toBe('error: SAHIFA_SECRET is 12 bytes long: it needs at least 32, e.g. the output of "openssl rand -base64 48" (links sent with the old secret stop working)\n');
    expect(runs[2]!.stderr).toBe('error: set SAHIFA_SMTP_URL in the environment (the same as for sahifa send), e.g. smtp://user:password@smtp.example.org:587: sahifa serve sends confirmation emails\n');
  });

  it('logs one line per request without the address, and on SIGTERM finishes the request in flight and its email, then exits 0', async () => {
    const root = await copyFixture('serve-site');
    const smtp = await startSmtpServer();
    const port = await freePort();
    const service = startService('serve', root, port, smtp.url);
    const { child, exited } = service;
    try {
      await service.started;
      expect(service.stdout).toBe(`Serving subscriptions at http://127.0.0.1:${port}/ (public address https://example.org/newsletter/). Ctrl+C stops.\n`);
      // A request whose body is still on its way when the stop comes.
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      const body = 'email=late%40example.com&website=';
      socket.write(`POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      const closed = once(socket, 'close');
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.end(body.slice(10));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      // The confirmation email went out before the process ended.
      expect(smtp.received.map((message) => message.to)).toEqual([['late@example.com']]);
      expect(service.stdout).toContain('POST /subscribe 200 ');
      expect(service.stdout).not.toContain('late');
      expect(service.stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await smtp.close();
    }
  });

  it('keeps the old name `unsubscribe-server` working for a release, saying so once on start', async () => {
    const root = await copyFixture('serve-site');
    const port = await freePort();
    const service = startService('unsubscribe-server', root, port, 'smtp://127.0.0.1:2525');
    const { child, exited } = service;
    try {
      await service.started;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(service.stdout.match(/is now sahifa serve/g)).toHaveLength(1);
    expect(service.stdout.split('\n')[0]).toBe('sahifa unsubscribe-server is now sahifa serve (see "Readers subscribe" in the README); the old name works until the next release.');
  });
});
