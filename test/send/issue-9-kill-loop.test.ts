import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { BIN, sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

// Enough that no send finishes the list on its own before the last kill: the server takes about 27 messages a
// second (4 at once, 50–250 ms each), and 20 rounds of up to 1.5 s sent all of 150 on a fast machine (19 kills).
const SUBSCRIBERS = 400;
const KILLS = 20;

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Resolves once `check` holds or the child has exited, whichever comes first (polled; no time limit). */
async function untilOrExit(child: ChildProcess, check: () => boolean): Promise<void> {
  while (child.exitCode === null && child.signalCode === null && !check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('issue 9: kill -9 at random moments never mails anyone twice', () => {
  it(`after ${KILLS} kills against a server slow to accept, every address got at most one copy and is sent or listed as unknown`, { timeout: 600_000 }, async () => {
    // 50 to 250 ms between the final dot and the server's 250: the window where a kill used to cause duplicates.
    server = await startSmtpServer({ acceptDelayMs: (index) => 50 + ((index * 73) % 200) });
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const databasePath = join(root, config.database);
    const setup = openDatabase(databasePath);
    setup.transaction(() => {
      for (let index = 0; index < SUBSCRIBERS; index += 1) upsertSubscriber(setup, `reader${index}@example.com`);
    })();
    setup.close();
    const env = { ...process.env, SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: 'kill-loop-secret', NO_COLOR: '1' };
    expect((await sahifa(['build', '--root', root], { env })).status).toBe(0);

    let kills = 0;
    let finishedAlone = false;
    while (kills < KILLS && !finishedAlone) {
      const child = spawn(process.execPath, [BIN, 'send', 'talks', '--root', root], { env, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Half the kills land just after a message is complete on the server (the reply pending),
      // the other half anywhere from start-up on. The moments are random; what is checked holds for any.
      if (kills % 2 === 0) {
        const completed = server.completed;
        await untilOrExit(child, () => server!.completed > completed);
        await pause(Math.random() * 250);
      } else {
        await pause(Math.random() * 1500);
      }
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      } else {
        finishedAlone = true;
      }
      await exited;
    }
    expect(kills).toBe(KILLS);

    const last = await sahifa(['send', 'talks', '--root', root], { env });
    expect(last.stderr).toBe('');
    // Every message the server had in full is accepted, even when its client was killed first.
    await untilOrExit({ exitCode: null, signalCode: null } as ChildProcess, () => server!.received.length === server!.completed);

    const copies = new Map<string, number>();
    for (const message of server.received) for (const to of message.to) copies.set(to, (copies.get(to) ?? 0) + 1);
    expect([...copies.entries()].filter(([, count]) => count > 1)).toEqual([]);

    const db = new Database(databasePath, { readonly: true });
    const rows = db
      .prepare('SELECT s.email AS email, d.state AS state FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id')
      .all() as Array<{ email: string; state: string }>;
    db.close();
    expect(rows).toHaveLength(SUBSCRIBERS);
    expect(rows.filter((row) => row.state !== 'sent' && row.state !== 'unknown')).toEqual([]);
    for (const row of rows) if (row.state === 'sent') expect(copies.get(row.email), row.email).toBe(1);

    const status = await sahifa(['send', 'talks', '--root', root, '--status'], { env });
    const listed = new Set([...status.stdout.matchAll(/^ {2}unknown (\S+) /gm)].map((match) => match[1]));
    expect(listed).toEqual(new Set(rows.filter((row) => row.state === 'unknown').map((row) => row.email)));
    expect(last.stdout).toMatch(/^Sent \d+, failed 0, unknown \d+, skipped \d+ in /);
  });
});
