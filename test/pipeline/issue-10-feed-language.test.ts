import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { copyFixture } from '../helpers/site.js';

describe('issue 10: a calendar or digits extension stays out of the RSS language code', () => {
  it('writes the base tag in rss.xml and the whole tag where BCP 47 is expected', async () => {
    const root = await copyFixture('site-three-posts');
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, lang: 'ar-SA-u-ca-islamic-umalqura-nu-latn' }));
    await build({ root });
    const blog = join(root, 'dist', 'blog');
    const rss = await readFile(join(blog, 'rss.xml'), 'utf8');
    expect(rss).toContain('<language>ar-SA</language>');
    expect(await readFile(join(blog, 'feed.xml'), 'utf8')).toContain('xml:lang="ar-SA-u-ca-islamic-umalqura-nu-latn"');
    const json = JSON.parse(await readFile(join(blog, 'feed.json'), 'utf8')) as { language: string };
    expect(json.language).toBe('ar-SA-u-ca-islamic-umalqura-nu-latn');
  });
});
