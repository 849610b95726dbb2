import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { closeSlugs } from '../../src/send/find-post.js';
import { dryRun, sendNewsletter, sendTestCopy } from '../../src/send/send.js';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SECRET = 'slug-secret';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A post file's text. */
const post = (title: string, date: string, extra = '') => `---\ntitle: "${title}"\ndate: ${date}\n${extra}---\n\nنص.\n`;

/** The send fixture with a draft, a post without email, a future post and two subscribers. */
async function site(): Promise<string> {
  const root = await copyFixture('send-site');
  await writeFile(join(root, 'posts', '2025-03-01-talks-followup.md'), post('متابعة', '2025-03-01'));
  await writeFile(join(root, 'posts', '2025-03-02-secret-plan.md'), post('مسودة', '2025-03-02', 'draft: true\n'));
  await writeFile(join(root, 'posts', '2025-03-03-web-only.md'), post('للموقع فقط', '2025-03-03', 'newsletter: false\n'));
  await writeFile(join(root, 'posts', '2999-01-01-scheduled.md'), post('مجدول', '2999-01-01'));
  const db = openDatabase(join(root, (await loadConfig(root)).database));
  upsertSubscriber(db, 'a@example.com');
  upsertSubscriber(db, 'b@example.com');
  db.close();
  return root;
}

describe('issue 10: sahifa send of a mistyped slug, a draft or a future post says what to do', () => {
  it('suggests close slugs by edit distance, and slugs that contain what was typed', () => {
    const slugs = ['talks', 'talks-followup', 'web-only', 'scheduled'];
    expect(closeSlugs('talsk', slugs)).toEqual(['talks']);
    expect(closeSlugs('followup', slugs)).toEqual(['talks-followup']);
    expect(closeSlugs('web_only', slugs)).toEqual(['web-only']);
    expect(closeSlugs('nothing-like-it', slugs)).toEqual([]);
  });

  it('refuses each with one line', async () => {
    const root = await site();
    server = await startSmtpServer();
    const send = (slug: string) => sendNewsletter({ root, slug, smtpUrl: server!.url, secret: SECRET });
    await expect(send('talsk')).rejects.toThrow(/^there is no post "talsk": did you mean "talks"\?$/);
    await expect(send('talks-folowup')).rejects.toThrow(/^there is no post "talks-folowup": did you mean "talks-followup"\?$/);
    await expect(send('TALKS')).rejects.toThrow(/^there is no post "TALKS": did you mean "talks"\? \(slugs are matched exactly\)$/);
    await expect(send('zzzz')).rejects.toThrow(/^there is no post "zzzz": a post's slug is its file name without the date \(posts\/2025-02-28-my-post\.md is "my-post"\), or its `slug:`$/);
    await expect(send('secret-plan')).rejects.toThrow(
      /^"secret-plan" is a draft \(posts\/2025-03-02-secret-plan\.md says draft: true\): remove that line \(or set draft: false\) to publish it, then send it$/,
    );
    await expect(send('secret-plna')).rejects.toThrow(/^there is no post "secret-plna": did you mean the draft "secret-plan"\? \(publish it first: remove draft: true from its front matter\)$/);
    await expect(send('web-only')).rejects.toThrow(/^"web-only" has no email: posts\/2025-03-03-web-only\.md says newsletter: false; remove that line to send it$/);
    await expect(send('scheduled')).rejects.toThrow(/^"scheduled" is dated 2999-01-01, in the future \(posts\/2999-01-01-scheduled\.md\): send it on that day, or pass --force to send it now$/);
    await expect(sendTestCopy({ root, slug: 'scheduled', smtpUrl: server.url, secret: SECRET }, 'editor@example.org')).rejects.toThrow(/in the future/);
    await expect(dryRun({ root, slug: 'scheduled', secret: SECRET })).rejects.toThrow(/in the future/);
    expect(server.received).toEqual([]);
  });

  it('sends a future post with --force, and a post of today or earlier without it', async () => {
    const root = await site();
    server = await startSmtpServer();
    const today = new Date().toISOString().slice(0, 10);
    await writeFile(join(root, 'posts', `${today}-today.md`), post('اليوم', `${today}T00:00:00Z`));
    expect(await sendNewsletter({ root, slug: 'today', smtpUrl: server.url, secret: SECRET })).toMatchObject({ sent: 2 });

    const refused = await sahifa(['send', 'scheduled', '--root', root], { env: { SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: SECRET } });
    expect(refused.stderr).toBe('error: "scheduled" is dated 2999-01-01, in the future (posts/2999-01-01-scheduled.md): send it on that day, or pass --force to send it now\n');
    expect(refused.status).toBe(1);
    const forced = await sahifa(['send', 'scheduled', '--root', root, '--force'], { env: { SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: SECRET } });
    expect(forced.stdout).toMatch(/^Sent 2, failed 0, unknown 0, skipped 0 in /);
    expect(server.received.filter((message) => message.parsed.subject === 'مجدول')).toHaveLength(2);
  });
});
