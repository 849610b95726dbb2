import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

/** Builds a site with `post` as posts/x.md; returns every message of the build, formatted, or throws if it crashed otherwise. */
async function messagesOf(post: string): Promise<string[]> {
  const root = await makeSite({ 'posts/good.md': GOOD_POST, 'posts/x.md': post });
  const outcome = await build({ root, write: false }).then(
    (result) => result.warnings,
    (error: unknown) => {
      if (!(error instanceof BuildFailure)) throw error;
      return error.messages;
    },
  );
  return outcome.map((message) => formatMessage(message, { cwd: root }));
}

const BILLION_LAUGHS = `---
title: "ضحك"
date: 2025-01-01
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
---

نص.
`;

describe('issue 10: lone surrogates and YAML alias bombs are named with the place and the fix', () => {
  it('a lone surrogate in a front-matter string', async () => {
    expect(await messagesOf('---\ntitle: "عنوان \\uD800"\ndate: 2025-01-01\ntags: ["a", "\\uDC00b"]\n---\n\nنص.\n')).toEqual([
      'posts/x.md:2:8: error `title` holds a lone surrogate (\\uD800), which is not a character: remove the escape, or write the whole character (a pair such as \\uD83D\\uDE00, or the character itself) [front-matter-invalid-text]',
      'posts/x.md:4:13: error `tags.1` holds a lone surrogate (\\uDC00), which is not a character: remove the escape, or write the whole character (a pair such as \\uD83D\\uDE00, or the character itself) [front-matter-invalid-text]',
    ]);
  });

  it('a surrogate pair is a character and passes', async () => {
    const messages = await messagesOf('---\ntitle: "وجه \\uD83D\\uDE00"\ndate: 2025-01-01\n---\n\nنص.\n');
    expect(messages.filter((line) => line.includes('error'))).toEqual([]);
  });

  it('a billion-laughs alias bomb', async () => {
    expect(await messagesOf(BILLION_LAUGHS)).toEqual([
      'posts/x.md:5:8: error the front matter repeats YAML aliases (`*name`) too much to be read (more than 100 copies): write the values out instead of aliasing them [front-matter-aliases]',
    ]);
  });

  it('front matter nested 100,000 levels deep', async () => {
    const messages = await messagesOf(`---\ntitle: ${'['.repeat(100_000)}${']'.repeat(100_000)}\ndate: 2025-01-01\n---\n\nنص.\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^posts\/x\.md:2:\d+: error .*\[front-matter-(?:yaml|invalid)\]$/);
  });

  it('links whose %-escapes are not UTF-8 are reported, not "URI malformed"', async () => {
    const messages = await messagesOf('---\ntitle: "روابط"\ndate: 2025-01-01\n---\n\n[أ](/%ED%A0%80/) [ب](%E0%A4%A/) [ج](#%FF)\n');
    expect(messages.some((line) => /URI malformed/.test(line))).toBe(false);
    expect(messages.filter((line) => line.includes('broken-link')).length).toBeGreaterThan(0);
  });
});
