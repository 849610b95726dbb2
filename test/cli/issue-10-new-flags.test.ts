import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

describe('issue 10: sahifa new refuses a --date or --lang that would break later builds', () => {
  it.each([
    ['2025-02-30', 'error: --date "2025-02-30": this date does not exist on the calendar; give one such as 2025-02-28\n'],
    ['2025-13-01', 'error: --date "2025-13-01": this date does not exist on the calendar; give one such as 2025-02-28\n'],
    ['28/02/2025', 'error: --date "28/02/2025": expected an ISO 8601 date such as 2025-02-28 or 2025-02-28T09:30:00+03:00\n'],
    ['2025-02-28junk', 'error: --date "2025-02-28junk": expected an ISO 8601 date such as 2025-02-28 or 2025-02-28T09:30:00+03:00\n'],
  ])('refuses --date %s and writes nothing', async (date, message) => {
    const root = await makeSite({ 'posts/first.md': GOOD_POST });
    const run = await sahifa(['new', 'عنوان', '--date', date, '--root', root]);
    expect(run).toEqual({ status: 1, stdout: '', stderr: message });
    expect(await readdir(join(root, 'posts'))).toEqual(['first.md']);
  });

  it.each([
    ['not a lang', 'error: --lang "not a lang" is not a BCP 47 language tag; use one such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura"\n'],
    ['en-USA', 'error: --lang "en-USA" is not a BCP 47 language tag; use one such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura" (did you mean "en-US"?)\n'],
  ])('refuses --lang %j and writes nothing', async (lang, message) => {
    const root = await makeSite({ 'posts/first.md': GOOD_POST });
    const run = await sahifa(['new', 'Title', '--lang', lang, '--date', '2025-03-01', '--root', root]);
    expect(run).toEqual({ status: 1, stdout: '', stderr: message });
    expect(await readdir(join(root, 'posts'))).toEqual(['first.md']);
  });

  it('writes a canonical tag and a date-time that the next build accepts', async () => {
    const root = await makeSite({ 'posts/first.md': GOOD_POST });
    const run = await sahifa(['new', 'Hijri', '--slug', 'hijri', '--lang', 'AR-sa-u-ca-islamic-umalqura', '--date', '2025-03-01T09:30', '--root', root]);
    expect(run.stderr).toBe('');
    expect(await readFile(join(root, 'posts', '2025-03-01-hijri.md'), 'utf8')).toContain('date: 2025-03-01T09:30\nlang: ar-SA-u-ca-islamic-umalqura\n');
    const result = await build({ root, write: false, drafts: true });
    expect(result.posts.map((post) => [post.slug, post.dir])).toEqual([['hijri', 'rtl'], ['first', 'rtl']]);
  });
});
