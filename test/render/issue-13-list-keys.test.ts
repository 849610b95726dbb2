import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/content/front-matter.js';
import type { PostSummary } from '../../src/content/post.js';
import type { ResponsiveImage } from '../../src/images/responsive-image.js';
import { postDigest, postView } from '../../src/render/page/post-view.js';
import { CONFIG } from '../helpers/site.js';

const picture = (width: number): ResponsiveImage => ({
  width,
  height: 600,
  sources: [{ type: 'image/avif', srcset: `cover-480.avif 480w, cover-${width}.avif ${width}w` }],
  srcset: `cover-480.jpg 480w, cover-${width}.jpg ${width}w`,
  email: { src: 'cover-960.jpg', width: 960, height: 600 },
});

/** A post as the lists get it, each field set so that a view shows it. */
function summary(change: (post: PostSummary) => void = () => undefined): PostSummary {
  const meta = { title: 'عنوان', date: '2025-03-01', tags: ['سياسة', 'اقتصاد'], description: 'وصف', author: 'كاتب' } as unknown as FrontMatter;
  const post: PostSummary = {
    file: new VFile({ path: '/site/posts/a.md' }),
    meta,
    slug: 'a',
    lang: 'ar',
    dir: 'rtl',
    date: new Date('2025-03-01T00:00:00Z'),
    words: 400,
    summary: 'ملخص',
    url: 'https://example.org/a/',
    cover: 'cover-1440.jpg',
    coverAlt: 'صورة',
    pictures: new Map([['cover-1440.jpg', picture(1440)]]),
  };
  change(post);
  return post;
}

/** Every way a post can change what a list shows of it. */
const CHANGES: Record<string, (post: PostSummary) => void> = {
  title: (post) => (post.meta = { ...post.meta, title: 'عنوان آخر' }),
  description: (post) => (post.meta = { ...post.meta, description: 'وصف آخر' }),
  author: (post) => (post.meta = { ...post.meta, author: 'كاتبة' }),
  'a tag': (post) => (post.meta = { ...post.meta, tags: ['سياسة'] }),
  'the written date': (post) => (post.meta = { ...post.meta, date: '2025-03-01T09:30:00+03:00' } as unknown as FrontMatter),
  'the instant': (post) => (post.date = new Date('2025-03-02T00:00:00Z')),
  summary: (post) => (post.summary = 'ملخص آخر'),
  language: (post) => (post.lang = 'fa'),
  direction: (post) => (post.dir = 'ltr'),
  slug: (post) => (post.slug = 'b'),
  address: (post) => (post.url = 'https://example.org/b/'),
  'reading time': (post) => (post.words = 4000),
  cover: (post) => (post.cover = 'other-1440.jpg'),
  "cover's text": (post) => (post.coverAlt = 'صورة أخرى'),
  "cover's processed sizes": (post) => (post.pictures = new Map([['cover-1440.jpg', picture(1200)]])),
};

describe('issue 13: list pages keyed by their posts’ digests', () => {
  it.each(Object.entries(CHANGES))('gives a new digest when the post’s %s changes what a list shows', (_name, change) => {
    const before = summary();
    const after = summary(change);
    // The change is one a list page shows, at every depth a list is at...
    for (const root of ['', '../../', '../../../../']) expect(JSON.stringify(postView(after, CONFIG, root))).not.toBe(JSON.stringify(postView(before, CONFIG, root)));
    // ...so the page's key, made from the digest without the view, changes with it.
    expect(postDigest(after)).not.toBe(postDigest(before));
  });

  it('gives the same digest to a post as the content cache gives it back (a fresh file, its front matter through JSON)', () => {
    const fresh = summary((post) => (post.meta = { ...post.meta, date: new Date('2025-03-01T00:00:00Z') } as unknown as FrontMatter));
    const cached = summary((post) => {
      post.meta = JSON.parse(JSON.stringify(fresh.meta)) as FrontMatter;
      post.file = new VFile({ path: '/site/posts/a.md' });
    });
    expect(postDigest(cached)).toBe(postDigest(fresh));
  });

  it('ignores processed images other than the cover, which lists do not show', () => {
    const extra = summary((post) => (post.pictures = new Map([...(post.pictures ?? []), ['inline-960.jpg', picture(960)]])));
    expect(postDigest(extra)).toBe(postDigest(summary()));
  });
});
