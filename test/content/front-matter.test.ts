import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/content/front-matter.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { parseMarkdown } from '../../src/markdown/processor.js';

function read(source: string) {
  const file = new VFile({ path: '/site/posts/x.md', value: source });
  const result = readFrontMatter(parseMarkdown(file), file);
  return { result, messages: file.messages.map((message) => formatMessage(message, { cwd: '/site' })) };
}

describe('front matter', () => {
  it('reads every field with defaults', () => {
    const { result, messages } = read('---\ntitle: عنوان\ndate: 2025-02-28T09:30:00+03:00\ntags: سياسة\n---\n\nنص.\n');
    expect(messages).toEqual([]);
    expect(result?.data).toEqual({ title: 'عنوان', date: '2025-02-28T09:30:00+03:00', tags: ['سياسة'], draft: false, newsletter: true });
    expect(result?.endLine).toBe(6);
  });

  it('refuses a day that is not on the calendar', () => {
    expect(read('---\ntitle: t\ndate: 2025-02-30\n---\n\nx\n').messages).toEqual([
      'posts/x.md:3:7: error `date`: this date does not exist on the calendar [front-matter-invalid]',
    ]);
  });

  it('counts the opening --- when it reports a YAML error', () => {
    expect(read('---\ntitle: t\ndate: 2025-01-01\ntags: [a\n---\n\nx\n').messages).toEqual([
      'posts/x.md:4:9: error invalid YAML in front matter: Flow sequence in block collection must be sufficiently indented and end with a ] [front-matter-yaml]',
    ]);
  });

  it('warns about a field it does not know, at its line', () => {
    expect(read('---\ntitle: t\ndate: 2025-01-01\ntitel: typo\n---\n\nx\n').messages).toEqual([
      'posts/x.md:4:8: warning unknown front-matter field `titel` is ignored; known fields: title, date, description, slug, lang, dir, author, tags, image, image_alt, cover, draft, newsletter [front-matter-unknown]',
    ]);
  });

  it('refuses a title that is not text', () => {
    expect(read('---\ntitle: [1, 2]\ndate: 2025-01-01\n---\n\nx\n').messages).toEqual([
      'posts/x.md:2:8: error `title`: expected a title as text [front-matter-invalid]',
    ]);
  });
});
