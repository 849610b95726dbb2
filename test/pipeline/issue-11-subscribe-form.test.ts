import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Element } from 'hast';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { findAll, htmlProblems, parseHtml } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

const NOW = new Date('2027-01-01T00:00:00Z');
const POST = '---\ntitle: "مرحبا"\ndate: 2025-01-01\n---\n\nنص التدوينة الأولى.\n';
const ENGLISH = '---\ntitle: "Hello"\ndate: 2025-01-02\nlang: en\n---\n\nThe first post.\n';

/** Builds a site with this config (merged over a minimal one) in memory and returns its files as text. */
async function built(config: Record<string, unknown>): Promise<Map<string, string>> {
  const root = await makeSite({
    'sahifa.config.json': JSON.stringify({ title: 'موقع تجاربنا', url: 'https://example.org/blog/', lang: 'ar', ...config }),
    'posts/2025-01-01-hello.md': POST,
    'posts/2025-01-02-english.md': ENGLISH,
  });
  const result = await build({ root, write: false, now: NOW });
  return new Map([...result.files].map(([path, content]) => [path, typeof content === 'string' ? content : Buffer.from(content).toString('utf8')]));
}

const byId = (tree: ReturnType<typeof parseHtml>, id: string): Element | undefined => findAll(tree, (element) => element.properties.id === id)[0];
const inputsNamed = (tree: ReturnType<typeof parseHtml>, name: string) => findAll(tree, (element) => element.tagName === 'input' && element.properties.name === name);

describe('issue 11: the subscribe form on the page', () => {
  it('posts to sahifa serve with a honeypot, the page address, a status region and the first-party script', async () => {
    const files = await built({ serve: { url: 'https://news.example.org/' } });
    const html = files.get('blog/hello/index.html')!;
    const tree = parseHtml(html);
    const form = findAll(tree, (element) => element.tagName === 'form')[0]!;
    expect(form.properties).toMatchObject({
      action: 'https://news.example.org/subscribe',
      method: 'post',
      dataSubscribeInline: '',
      dataSending: 'جارٍ الإرسال…',
      dataOffline: 'تعذّر الوصول إلى الخادم. تحقّق من اتصالك وأعد المحاولة.',
    });
    expect(byId(tree, 'subscribe-email')!.properties).toMatchObject({ type: 'email', name: 'email', required: true, ariaDescribedBy: ['subscribe-status'] });

    // The honeypot: named `website`, out of the tab order, never autofilled, hidden from assistive technology.
    const [trap, ...more] = inputsNamed(tree, 'website');
    expect(more).toEqual([]);
    expect(trap!.properties).toMatchObject({ type: 'text', value: '', tabIndex: -1, autoComplete: ['off'], id: 'subscribe-website' });
    const wrapper = findAll(form, (element) => element.children.includes(trap!))[0]!;
    expect(wrapper.properties).toMatchObject({ className: ['subscribe-trap'], ariaHidden: 'true' });
    expect(findAll(wrapper, (element) => element.tagName === 'label')[0]!.properties.htmlFor).toEqual(['subscribe-website']);
    const css = files.get('blog/assets/style.css')!;
    const rule = /\.subscribe-trap \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toContain('clip-path: inset(50%)');
    expect(rule).not.toMatch(/display:\s*none|visibility:\s*hidden/);

    // The page the reader was on, absolute.
    expect(inputsNamed(tree, 'page').map((input) => input.properties)).toEqual([{ type: 'hidden', name: 'page', value: 'https://example.org/blog/hello/' }]);

    const status = byId(tree, 'subscribe-status')!;
    expect(status.properties).toMatchObject({ role: 'status', dir: 'auto' });
    expect(status.children).toEqual([]);

    // One external, deferred, first-party script; no inline code but the JSON-LD data block.
    const scripts = findAll(tree, (element) => element.tagName === 'script');
    expect(scripts.filter((script) => script.properties.src !== undefined).map((script) => script.properties)).toEqual([{ src: '../assets/subscribe.js', defer: true }]);
    expect(scripts.filter((script) => script.properties.src === undefined).map((script) => script.properties.type)).toEqual(['application/ld+json']);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(files.get('blog/assets/subscribe.js')).toContain("'use strict'");
    expect(await htmlProblems(html, 'hello/index.html')).toEqual([]);
  });

  it('gives every page its own address and the script path from where it is', async () => {
    const files = await built({ serve: { url: 'https://news.example.org/' } });
    const pages: Array<[string, string, string]> = [
      ['blog/index.html', 'https://example.org/blog/', 'assets/subscribe.js'],
      ['blog/english/index.html', 'https://example.org/blog/english/', '../assets/subscribe.js'],
    ];
    for (const [path, address, script] of pages) {
      const tree = parseHtml(files.get(path)!);
      expect(inputsNamed(tree, 'page')[0]?.properties.value, path).toBe(address);
      expect(findAll(tree, (element) => element.tagName === 'script' && element.properties.src !== undefined)[0]?.properties.src, path).toBe(script);
    }
  });

  it('speaks the page language in the script\'s own sentences', async () => {
    const files = await built({ serve: { url: 'https://news.example.org/' } });
    const form = findAll(parseHtml(files.get('blog/english/index.html')!), (element) => element.tagName === 'form')[0]!;
    expect(form.properties).toMatchObject({ dataSending: 'Sending…', dataOffline: 'Could not reach the server. Check your connection and try again.' });
  });

  it('leaves a list provider\'s form a plain form: no script, no extra fields', async () => {
    for (const config of [
      { subscribe: { action: 'https://provider.example.com/s/123' } },
      { serve: { url: 'https://news.example.org/' }, subscribe: { action: 'https://provider.example.com/s/123' } },
      { serve: { url: 'https://news.example.org/' }, subscribe: { method: 'get' } },
    ]) {
      const html = (await built(config)).get('blog/hello/index.html')!;
      const tree = parseHtml(html);
      expect(findAll(tree, (element) => element.tagName === 'form')[0]!.properties.dataSubscribeInline, JSON.stringify(config)).toBeUndefined();
      expect(inputsNamed(tree, 'website')).toEqual([]);
      expect(inputsNamed(tree, 'page')).toEqual([]);
      expect(html).not.toContain('subscribe.js');
      expect(findAll(tree, (element) => element.tagName === 'input').length).toBe(1);
    }
  });

  it('passes the Nu HTML checker with the service form', { timeout: 300_000 }, async () => {
    const files = await built({ serve: { url: 'https://news.example.org/' } });
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-nu-form-'));
    const page = join(folder, 'index.html');
    await writeFile(page, files.get('blog/hello/index.html')!);
    const jar = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    const { stderr } = await promisify(execFile)('java', ['-jar', jar, '--format', 'json', '--exit-zero-always', page], { maxBuffer: 16 * 1024 * 1024 });
    const { messages } = JSON.parse(stderr) as { messages: Array<{ type: string; subType?: string; message: string }> };
    expect(messages.filter((message) => message.type !== 'info' || message.subType === 'warning')).toEqual([]);
  });
});
