import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { BIN, sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SUBSCRIBERS = 300;
const ACCEPTED_BEFORE_KILL = 120;

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Polls `check` every 20 ms until it holds; fails if the child exits first (no time limit: vitest's own timeout is the backstop). */
async function waitFor(check: () => boolean, child: ChildProcess, what: string): Promise<void> {
  while (!check()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the sender exited before ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a send killed in the middle (issue 4, issue 9)', () => {
  it('run again, sends what never reached the server, lists what was handed over as unknown, and sends those only with --retry-unknown', { timeout: 300_000 }, async () => {
    server = await startSmtpServer({ holdAfter: ACCEPTED_BEFORE_KILL });
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const databasePath = join(root, config.database);
    const setup = openDatabase(databasePath);
    setup.transaction(() => {
      for (let index = 0; index < SUBSCRIBERS; index += 1) upsertSubscriber(setup, `reader${index}@example.com`);
    })();
    setup.close();
    const env = { ...process.env, SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: 'kill-test-secret', NO_COLOR: '1' };

    const child = spawn(process.execPath, [BIN, 'send', 'talks', '--root', root], { env, stdio: 'ignore' });
    let handed = 0;
    const watcher = new Database(databasePath, { readonly: true, fileMustExist: true });
    const count = (state: string) =>
      (watcher.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE state = ?').get(state) as { n: number } | undefined)?.n ?? 0;
    try {
      // The server has accepted ACCEPTED_BEFORE_KILL messages and holds the next ones unanswered;
      // once the sender has recorded every accepted one, kill it with messages in flight.
      await waitFor(() => server!.held > 0 && count('sent') === ACCEPTED_BEFORE_KILL, child, 'recording the accepted messages');
      child.kill('SIGKILL');
      await once(child, 'exit');
      // Every held message was handed over (its final dot sent) before the kill.
      handed = count('handed');
      expect(handed).toBeGreaterThanOrEqual(server.held);
      expect(count('sent')).toBe(ACCEPTED_BEFORE_KILL);
    } finally {
      watcher.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(server.received).toHaveLength(ACCEPTED_BEFORE_KILL);

    // The next run sends what never reached the server in full, and lists the handed-over
    // messages as unknown instead of sending them again on its own.
    server.release();
    const second = await sahifa(['send', 'talks', '--root', root], { env });
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(new RegExp(`^Sent ${SUBSCRIBERS - ACCEPTED_BEFORE_KILL - handed}, failed 0, unknown ${handed}, skipped ${ACCEPTED_BEFORE_KILL} in `));
    expect(second.status).toBe(1);
    const listed = await sahifa(['send', 'talks', '--root', root, '--status'], { env });
    expect(listed.stdout.match(/^ {2}unknown .+$/gm)).toHaveLength(handed);

    // The held messages were never accepted: checked, they may be sent again on request.
    const third = await sahifa(['send', 'talks', '--root', root, '--retry-unknown'], { env });
    expect(third.stdout).toMatch(new RegExp(`^Sent ${handed}, failed 0, unknown 0, skipped ${SUBSCRIBERS - handed} in `));

    const perAddress = new Map<string, number>();
    for (const message of server.received) for (const to of message.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(perAddress.size).toBe(SUBSCRIBERS);
    expect([...perAddress.entries()].filter(([, times]) => times !== 1)).toEqual([]);

    const status = await sahifa(['send', 'talks', '--root', root, '--status'], { env });
    expect(status.stdout).toContain(`sent ${SUBSCRIBERS}`);
  });
});
