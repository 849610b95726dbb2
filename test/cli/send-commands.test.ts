import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/** The CLI with an empty SMTP environment unless a test gives one. */
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => sahifa(args, { env: { SAHIFA_SMTP_URL: '', SAHIFA_SECRET: '', ...env } });

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('sahifa subscribers and sahifa send (the commands, issue 4)', () => {
  it('walks from an empty list through import, a test send and a real send', { timeout: 300_000 }, async () => {
    const root = await copyFixture('send-site');
    const imported = await run(['subscribers', 'import', join(root, 'subscribers.csv'), '--root', root]);
    expect(imported.status).toBe(1);
    expect(imported.stdout).toBe(`Imported ${join(root, 'subscribers.csv')}: 4 added, 1 updated, 0 unchanged, 3 bad rows\n`);
    expect(imported.stderr.split('\n').filter(Boolean)).toEqual([
      `${join(root, 'subscribers.csv')}:4: error "not-an-address" is no email address (expected name@domain)`,
      `${join(root, 'subscribers.csv')}:7: error "xx_!!" is no language tag (expected e.g. ar, en, fa)`,
      `${join(root, 'subscribers.csv')}:8: error "" is no email address (expected name@domain)`,
    ]);
    expect((await run(['subscribers', 'add', ' New@Example.COM ', '--name', 'نور', '--root', root])).stdout).toBe('New@example.com: added\n');
    expect((await run(['subscribers', 'add', 'not an address', '--root', root])).stderr).toBe('error: "not an address" is no email address (expected name@domain)\n');
    expect((await run(['subscribers', 'remove', 'fifth@مثال.السعودية', '--root', root])).stdout).toBe('fifth@مثال.السعودية: removed\n');
    expect((await run(['subscribers', 'unsubscribe', 'SECOND@example.com', '--root', root])).stdout).toBe('Second@example.com: unsubscribed\n');
    expect((await run(['subscribers', 'bounce', 'nobody@example.com', '--root', root])).stderr).toBe('error: nobody@example.com is not on the list\n');
    const listed = JSON.parse((await run(['subscribers', 'list', '--json', '--root', root])).stdout) as Array<{ email: string; state: string }>;
    expect(listed.map((subscriber) => `${subscriber.email} ${subscriber.state}`)).toEqual([
      'first@example.com active',
      'Second@example.com unsubscribed',
      'third@مثال.السعودية active',
      'New@example.com active',
    ]);
    expect((await run(['subscribers', 'export', join(root, 'out.csv'), '--root', root])).stdout).toBe(`Exported 4 subscribers to ${join(root, 'out.csv')}\n`);
    expect((await readFile(join(root, 'out.csv'), 'utf8')).split('\n')[1]).toMatch(/^first@example\.com,أحمد علي,ar,active,/);

    const noSecret = await run(['send', 'talks', '--root', root]);
    expect(noSecret.status).toBe(1);
    expect(noSecret.stderr).toContain('error: set SAHIFA_SECRET in the environment');

    server = await startSmtpServer();
    const env = { SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: 'a-secret' };
    const rehearsal = await run(['send', 'talks', '--root', root, '--dry-run'], env);
    expect(rehearsal.stdout).toMatch(/^Dry run: would send 3 messages \(0 subscribers already done\); largest HTML part \d+\.\d KB; nothing was sent\n$/);
    const test = await run(['send', 'talks', '--root', root, '--to', 'editor@example.org'], env);
    expect(test.stdout).toBe('Sent a test copy of "talks" to editor@example.org\n');
    expect(server.received.map((message) => message.parsed.subject)).toEqual(['[Test] تعلق روسيا على أحدث المحادثات معنا – RT World News']);
    const badTo = await run(['send', 'talks', '--root', root, '--to', 'nobody'], env);
    expect(badTo.stderr).toBe('error: --to: "nobody" is no email address (expected name@domain)\n');
    const sent = await run(['send', 'talks', '--root', root], env);
    expect(sent.stdout).toMatch(/^Sent 3, failed 0, unknown 0, skipped 0 in \d+\.\d\d s \(\d+\.\d messages\/s\)\n$/);
    expect(sent.status).toBe(0);
    const status = await run(['send', 'talks', '--root', root, '--status'], env);
    expect(status.stdout).toMatch(/^talks: "تعلق روسيا على أحدث المحادثات معنا – RT World News"\nstarted .+, completed .+\nsent 3\n$/);
    expect(server.received).toHaveLength(4);
    expect(sent.stdout + sent.stderr + status.stdout).not.toContain('a-secret');
  });

  it('refuses a rate that is no number', async () => {
    const root = await copyFixture('send-site');
    const refused = await run(['send', 'talks', '--root', root, '--rate', 'fast'], { SAHIFA_SMTP_URL: 'smtp://127.0.0.1:9', SAHIFA_SECRET: 's' });
    expect(refused.stderr).toBe('error: --rate expects a number from 0.01 to 10000 (messages per second), got "fast"\n');
    expect(refused.status).toBe(1);
  });
});
