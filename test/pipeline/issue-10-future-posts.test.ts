import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { sahifa } from '../helpers/cli.js';
import { makeSite } from '../helpers/site.js';

const config = (timeZone: string) =>
  JSON.stringify({
    title: 'موقع',
    url: 'https://example.org/',
    lang: 'ar',
    timeZone,
    subscribe: { action: 'https://example.org/subscribe' },
    email: { address: 'ص.ب. 1، الرياض' },
  });

const post = (title: string, date: string, tags = 'مجدول') => `---\ntitle: "${title}"\ndate: ${date}\ntags: [${tags}]\n---\n\nنص ${title}.\n`;

/** A site with one published post, one for tomorrow and one for next year. */
function scheduledSite(timeZone = 'UTC') {
  return makeSite({
    'sahifa.config.json': config(timeZone),
    'posts/old.md': post('قديمة', '2026-11-01', 'عام'),
    'posts/tomorrow.md': post('غدا', '2026-11-30'),
    'posts/later.md': post('لاحقا', '2027-01-05T09:00:00+03:00'),
  });
}

const NOW = new Date('2026-11-29T12:00:00Z');

describe('issue 10: future-dated posts wait for their date unless --future', () => {
  it('leaves them out of pages, lists, tags, feeds, sitemap and emails, and reports them', async () => {
    const result = await build({ root: await scheduledSite(), write: false, now: NOW });
    expect(result.posts.map((item) => item.slug)).toEqual(['old']);
    expect(result.future.map((item) => item.slug)).toEqual(['tomorrow', 'later']);
    const all = [...result.files.entries()].filter(([path]) => /\.(html|xml|json|txt)$/.test(path)).map(([, content]) => String(content)).join('\n');
    for (const hidden of ['tomorrow', 'later', 'غدا', 'لاحقا', 'مجدول']) expect(all).not.toContain(hidden);
    expect([...result.emails.keys()]).toEqual(['old']);
    expect(result.files.has('blog/tomorrow/index.html')).toBe(false);
  });

  it('publishes a post from the start of its day in the site\'s zone', async () => {
    // 2026-11-29T12:00Z is already the 30th in Kiritimati (UTC+14), not yet in New York.
    const east = await build({ root: await scheduledSite('Pacific/Kiritimati'), write: false, now: NOW });
    expect(east.posts.map((item) => item.slug)).toEqual(['tomorrow', 'old']);
    const west = await build({ root: await scheduledSite('America/New_York'), write: false, now: NOW });
    expect(west.posts.map((item) => item.slug)).toEqual(['old']);
  });

  it('includes them with future: true', async () => {
    const result = await build({ root: await scheduledSite(), write: false, now: NOW, future: true });
    expect(result.posts.map((item) => item.slug)).toEqual(['later', 'tomorrow', 'old']);
    expect(result.future).toEqual([]);
    expect(result.emails.size).toBe(3);
  });

  it('names them in one line from `sahifa build`, and `--future` builds them', async () => {
    const root = await makeSite({ 'sahifa.config.json': config('UTC'), 'posts/old.md': post('قديمة', '2026-11-01'), 'posts/2999-01-01-far.md': post('بعيدة', '2999-01-01') });
    const run = await sahifa(['build', '--root', root]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('Left out 1 post dated in the future until its date (--future includes them): posts/2999-01-01-far.md (2999-01-01)\n');
    expect(await readdir(join(root, 'dist', 'blog'))).not.toContain('far');
    const forced = await sahifa(['build', '--future', '--root', root]);
    expect(forced.stderr).toBe('');
    expect(forced.stdout).toMatch(/^Built 2 posts(, 1 unchanged)?: /);
    expect(await readdir(join(root, 'dist', 'blog'))).toContain('far');
  });
});
