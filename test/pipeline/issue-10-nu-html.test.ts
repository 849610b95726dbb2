import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { FIXTURES, makeSite, REPO } from '../helpers/site.js';

const VNU_JAR = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

/** One finding of the Nu HTML checker (`--format json`). */
interface NuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
}

/** Runs the Nu HTML checker (vnu.jar, on Java) over files and returns its errors and warnings as `file:line message`. */
async function nuProblems(files: string[], base: string): Promise<string[]> {
  const { stderr } = await promisify(execFile)('java', ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...files], { maxBuffer: 64 * 1024 * 1024 });
  const { messages } = JSON.parse(stderr) as { messages: NuMessage[] };
  return messages
    .filter((message) => message.type !== 'info' || message.subType === 'warning')
    .map((message) => `${relative(base, decodeURI(message.url?.replace(/^file:/, '') ?? ''))}:${message.lastLine ?? 0} ${message.type}${message.subType ? `/${message.subType}` : ''} ${message.message}`);
}

/** Builds a site in memory (the sample site's own records stay untouched) and writes its HTML pages to a new folder. */
async function builtPages(root: string): Promise<{ out: string; pages: string[] }> {
  const out = await mkdtemp(join(tmpdir(), 'sahifa-nu-'));
  const result = await build({ root, write: false, now: new Date('2027-01-01T00:00:00Z') });
  const pages: string[] = [];
  for (const [path, content] of result.files) {
    if (!path.startsWith('blog/') || !path.endsWith('.html')) continue;
    const file = join(out, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    pages.push(file);
  }
  return { out, pages };
}

describe('issue 10: the Nu HTML checker finds nothing on any page', () => {
  it('passes the sample site, the three-post fixture and a mixed-language site with every page type', { timeout: 300_000 }, async () => {
    const mixed = await makeSite({
      'sahifa.config.json': JSON.stringify({ title: 'موقع تجاربنا', url: 'https://example.org/', lang: 'ar-SA-u-ca-islamic-umalqura', postsPerPage: 1, subscribe: { action: 'https://example.org/s' } }),
      'posts/a.md': '---\ntitle: "عام 2015"\ndate: 2026-11-24\ntags: [سياسة, "RT World News"]\n---\n\n### يبدأ بالثالث\n\nفي عام 2015[^1] قال RT.\n\n# أول\n\n| أ | ب |\n| - | - |\n| 1 | 2 |\n\n[^1]: حاشية.\n',
      'posts/b.md': '---\ntitle: "English notes"\ndate: 2026-11-20\nlang: en-GB\ntags: [سياسة]\n---\n\n## Part\n\nThe minister said قال in 2015[^1].\n\n[^1]: A note.\n',
    });
    const sites = await Promise.all([REPO, join(FIXTURES, 'site-three-posts'), mixed].map(builtPages));
    const pages = sites.flatMap((site) => site.pages);
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(await nuProblems(pages, tmpdir())).toEqual([]);
  });

  it('would report a skipped heading level (the checker runs and reads our files)', { timeout: 300_000 }, async () => {
    const root = await makeSite({ 'broken.html': '<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>x</title></head><body><h1>أ</h1><h3>ب</h3></body></html>' });
    const problems = await nuProblems([join(root, 'broken.html')], root);
    expect(problems).toEqual(['broken.html:1 error The heading “h3” (with computed level 3) follows the heading “h1” (with computed level 1), skipping 1 heading level.']);
  });
});
