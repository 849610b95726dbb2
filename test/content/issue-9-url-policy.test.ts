import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { urlProblem } from '../../src/content/url-policy.js';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { makeSite } from '../helpers/site.js';

const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  '\u200bjavascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml;base64,PHN2Zz4=',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/x.png',
  '\\\\evil.example\\x.png',
  'https://exa mple.org/',
  'https:',
];

describe('issue 9: one URL policy for front matter and config', () => {
  it('refuses every script-running or foreign scheme, however it is spelled', () => {
    for (const value of HOSTILE) {
      expect(urlProblem(value, { relative: true }), value).toBeTypeOf('string');
      expect(urlProblem(value), value).toBeTypeOf('string');
    }
  });

  it('accepts http(s), paths on the site where allowed, and mailto only where asked', () => {
    expect(urlProblem('https://example.org/a.png')).toBeUndefined();
    expect(urlProblem('HTTP://example.org/')).toBeUndefined();
    expect(urlProblem('assets/cover.jpg', { relative: true })).toBeUndefined();
    expect(urlProblem('/images/cover.jpg', { relative: true })).toBeUndefined();
    expect(urlProblem('assets/cover.jpg')).toBe('expected an http(s) URL such as "https://example.org/"');
    expect(urlProblem('http://example.org/u', { httpsOnly: true })).toBe('the scheme "http:" is not allowed here (only https:), e.g. "https://example.org/unsubscribe"');
    expect(urlProblem('mailto:editor@example.org')).toBeTypeOf('string');
    expect(urlProblem('MAILTO:editor@example.org', { mailto: true })).toBeUndefined();
  });

  it('refuses a hostile cover image at its line and column, before it reaches any output', async () => {
    for (const value of ['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'JAVASCRIPT:void(0)']) {
      const root = await makeSite({ 'posts/a.md': `---\ntitle: "غلاف"\ndate: 2025-01-01\nimage: "${value}"\n---\n\nنص.\n` });
      const error = await build({ root, write: false }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(BuildFailure);
      const messages = (error as BuildFailure).messages.map((message) => formatMessage(message, { cwd: root }));
      const scheme = value.split(':')[0]!.toLowerCase();
      expect(messages).toEqual([
        `posts/a.md:4:8: error \`image\`: the scheme "${scheme}:" is not allowed here (only http:, https: or a path on the site), e.g. "assets/cover.jpg" or "https://example.org/cover.jpg" [front-matter-invalid]`,
      ]);
    }
  });

  it('refuses a hostile URL in every URL setting of the config, naming the key', () => {
    const base = { title: 'موقع', url: 'https://example.org/', subscribe: { action: 'https://example.org/s' } };
    const cases: [string, object][] = [
      ['url', { ...base, url: 'javascript:alert(1)' }],
      ['subscribe.action', { ...base, subscribe: { action: 'javascript:alert(1)' } }],
      ['email.logo', { ...base, email: { address: 'x', logo: 'data:text/html,<script>' } }],
      ['email.subscribeUrl', { ...base, email: { address: 'x', subscribeUrl: '//evil.example/' } }],
      ['email.unsubscribeUrl', { ...base, email: { address: 'x', unsubscribeUrl: 'http://example.org/u' } }],
    ];
    for (const [key, config] of cases) {
      let error: unknown;
      try {
        parseConfig(JSON.stringify(config, null, 2), 'sahifa.config.json');
      } catch (thrown) {
        error = thrown;
      }
      expect(error, key).toBeInstanceOf(BuildFailure);
      expect(String((error as BuildFailure).messages[0]?.reason), key).toMatch(new RegExp(`^\`${key.replace('.', '\\.')}\`: `));
    }
  });
});
