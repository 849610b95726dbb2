import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { outputKey, RESERVED_SLUGS } from '../../src/pipeline/output-layout.js';
import { slugProblem } from '../../src/content/slug.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { copyFixture, GOOD_POST, makeSite } from '../helpers/site.js';

const post = (front = '') => `---\ntitle: "عنوان"\ndate: 2025-01-01\n${front}---\n\nنص.\n`;

async function fatalMessages(root: string): Promise<string[]> {
  const error = await build({ root, write: false }).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(BuildFailure);
  return (error as BuildFailure).messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }));
}

describe('issue 9: a post cannot take a name the build writes', () => {
  it('reserves every top-level name a real build writes under dist/blog/', async () => {
    const root = await copyFixture('site-three-posts');
    const result = await build({ root, write: false, drafts: true });
    const slugs = new Set(result.posts.map((item) => outputKey(item.slug)));
    const written = [...result.files.keys()].filter((path) => path.startsWith('blog/')).map((path) => outputKey(path.split('/')[1]!));
    for (const name of written.filter((key) => !slugs.has(key))) expect(RESERVED_SLUGS, name).toContain(name);
  });

  it('refuses a reserved slug in front matter, in any case, at its place', async () => {
    for (const slug of ['media', 'assets', 'tags', 'page', 'feed', 'rss', 'sitemap', 'robots', '404', 'index', 'search', 'Media', 'TAGS']) {
      expect(slugProblem(slug), slug).toMatch(/is a name the site itself uses under dist\/blog\//);
      const root = await makeSite({ 'posts/good.md': GOOD_POST, 'posts/a.md': post(`slug: "${slug}"\n`) });
      const messages = await fatalMessages(root);
      expect(messages, slug).toHaveLength(1);
      expect(messages[0]).toMatch(new RegExp(`^posts/a\\.md:4:7: error unsafe \`slug\` "${slug}": "${slug}" is a name the site itself uses under dist/blog/ \\(.*\\); try \`slug: .*\` \\[slug-unsafe\\]$`));
    }
  });

  it('refuses a reserved name that comes from the file name', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST, 'posts/2025-01-01-Media.md': post(), 'posts/404.md': post() });
    const messages = await fatalMessages(root);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^posts\/2025-01-01-Media\.md:2:8: error cannot make a slug from the file name \("media" is a name the site itself uses/);
    expect(messages[1]).toMatch(/^posts\/404\.md:2:8: error cannot make a slug from the file name \("404" is a name the site itself uses/);
  });
});
