import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { balanceBidi, xmlSafe } from '../../src/content/plain-text.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { headerText } from '../../src/render/email/subject.js';
import { copyFixture } from '../helpers/site.js';

const EMBEDDINGS_AND_OVERRIDES = /[\u202a-\u202e]/;

/** The first well-formedness error a conformant XML parser reports, or undefined. */
function xmlError(xml: string): string | undefined {
  const parser = new SaxesParser();
  let error: string | undefined;
  parser.on('error', (problem) => {
    error ??= problem.message;
  });
  parser.write(xml).close();
  return error;
}

/** Isolates opened and closed, in order, never closing more than is open. */
function balanced(text: string): boolean {
  let open = 0;
  for (const char of text) {
    if (/[\u2066-\u2068]/.test(char)) open += 1;
    if (char === '\u2069') open -= 1;
    if (open < 0) return false;
  }
  return open === 0;
}

/** A site with email, whose one post's title, tags and body carry `title`/`body`. */
async function siteWith(front: string, body: string): Promise<string> {
  const root = await copyFixture('email-site');
  const { rm, writeFile, readdir } = await import('node:fs/promises');
  for (const name of await readdir(join(root, 'posts'))) if (name.endsWith('.md')) await rm(join(root, 'posts', name));
  await writeFile(join(root, 'posts', 'spoof.md'), `---\n${front}date: 2025-01-01\nslug: spoof\n---\n\n${body}\n`);
  return root;
}

describe('issue 9: bidi controls cannot spoof plain-text contexts', () => {
  it('balanceBidi strips embeddings and overrides and balances isolates', () => {
    expect(balanceBidi('Invoice \u202efdp.exe')).toBe('Invoice fdp.exe');
    expect(balanceBidi('\u202bعربي\u202c and \u202dLRO')).toBe('عربي and LRO');
    expect(balanceBidi('a \u2067b')).toBe('a \u2067b\u2069');
    expect(balanceBidi('\u2069a\u2066b\u2069\u2069')).toBe('a\u2066b\u2069');
    expect(balanceBidi('\u2068\u2068x')).toBe('\u2068\u2068x\u2069\u2069');
    expect(headerText('Invoice \u202efdp.exe\r\nBcc: x')).toBe('Invoice fdp.exe Bcc: x');
  });

  it('keeps the "Invoice ‮fdp.exe" title out of <title>, meta, Subject, feeds and the plain-text email', async () => {
    const root = await siteWith('title: "Invoice \\u202Efdp.exe \\u2067مرحبا"\ndescription: "وصف \\u202Dخادع"\nauthor: "\\u202Bكاتب"\ntags: ["وسم\\u202E"]\n', 'نص \u202Eمقلوب في الفقرة.');
    const result = await build({ root });
    const out = result.outDir;
    const page = await readFile(join(out, 'blog', 'spoof', 'index.html'), 'utf8');
    const head = page.slice(0, page.indexOf('</head>'));
    const titles = [
      /<title>([^<]*)<\/title>/.exec(head)?.[1],
      ...[...head.matchAll(/<meta [^>]*content="([^"]*)"/g)].map((match) => match[1]),
      result.emails.get('spoof')?.meta.subject,
      await readFile(join(out, 'email', 'spoof.txt'), 'utf8'),
    ];
    for (const feed of ['feed.xml', 'rss.xml']) {
      const xml = await readFile(join(out, 'blog', feed), 'utf8');
      titles.push(...[...xml.matchAll(/<(?:title|summary|description|category|name)[^>]*>([^<]*)</g)].map((match) => match[1]));
      titles.push(...[...xml.matchAll(/term="([^"]*)"/g)].map((match) => match[1]));
    }
    const json = JSON.parse(await readFile(join(out, 'blog', 'feed.json'), 'utf8'));
    titles.push(json.items[0].title, json.items[0].summary, ...json.items[0].tags, json.items[0].authors[0].name);
    for (const text of titles) {
      expect(text).toBeTypeOf('string');
      expect(text, JSON.stringify([...(text ?? "")].map((c) => c.codePointAt(0)!.toString(16)))).not.toMatch(EMBEDDINGS_AND_OVERRIDES);
      expect(balanced(text!), JSON.stringify(text)).toBe(true);
    }
    expect(result.emails.get('spoof')?.meta.subject).toBe('Invoice fdp.exe \u2067مرحبا\u2069');
    const warnings = result.warnings.filter((message) => message.ruleId === 'front-matter-controls').map((message) => formatMessage(message, { cwd: root }));
    expect(warnings).toEqual([
      'posts/spoof.md:2:8: warning `title` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
      'posts/spoof.md:3:14: warning `description` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
      'posts/spoof.md:4:9: warning `author` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
      'posts/spoof.md:5:8: warning `tags.0` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
    ]);
  });
});

describe('issue 9: a title of nothing but controls', () => {
  it('is an error at the title, and a tag of nothing but controls is dropped', async () => {
    const root = await siteWith('title: "\\u202E\\v"\ntags: ["\\u202D", "وسم"]\n', 'نص.');
    const error = await build({ root, write: false }).catch((thrown: unknown) => thrown);
    const messages = (error as { messages: Parameters<typeof formatMessage>[0][] }).messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }));
    expect(messages).toEqual(['posts/spoof.md:2:8: error `title` holds nothing but control characters: write the headline as text [front-matter-invalid]']);
  });
});

describe('issue 9: XML-illegal characters never reach the feeds', () => {
  it('xmlSafe removes what XML 1.0 forbids and keeps the rest', () => {
    expect(xmlSafe('a\u000bb\u0001c\u0000d\ufffee\ud800f\tg\nh\u0085عربي😀')).toBe('abcdef\tg\nh\u0085عربي😀');
  });

  it('feed.xml and rss.xml stay well-formed with U+000B, U+0001 and U+FFFF in title, tags and body', async () => {
    const root = await siteWith('title: "عنوان\\vمن Word\\x01"\ntags: ["وسم\\x0B"]\ndescription: "وصف\\uFFFF"\n', 'فقرة من Word\u000bفيها\u0001 محارف تحكم\u0008.');
    const result = await build({ root });
    for (const feed of ['feed.xml', 'rss.xml']) {
      const xml = await readFile(join(result.outDir, 'blog', feed), 'utf8');
      expect(xmlError(xml), feed).toBeUndefined();
      expect(xml).toContain('عنوانمن Word');
      expect(xml).toContain('محارف تحكم');
      expect(xml).not.toMatch(/[\u0001\u0008\u000b\uffff]/);
    }
    expect(JSON.parse(await readFile(join(result.outDir, 'blog', 'feed.json'), 'utf8')).items[0].title).toBe('عنوانمن Word');
    expect(result.warnings.filter((message) => message.ruleId === 'text-controls').map((message) => formatMessage(message, { cwd: root }))).toEqual([
      'posts/spoof.md:9:1: warning control or bidi override characters (from a word processor, or a spoof) were removed from the text [text-controls]',
    ]);
  });
});
