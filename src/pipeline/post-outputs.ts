import type { SiteConfig } from '../config/schema.js';
import type { Post } from '../content/post.js';
import { renderEmail, type RenderedEmail } from '../render/email/render-email.js';
import { renderPostPage } from '../render/page/render-pages.js';
import { feedHtml } from '../render/site/feeds.js';
import { pageRecord, type PageRecord } from '../search/page-record.js';
import type { TemplateSet } from '../render/template-set.js';
import { checkedReferences } from './check-links.js';
import { pageReferences, type PageReferences } from './page-references.js';
import type { OutputRecord, OutputSink } from './write-atomically.js';

/** What rendering a post needs besides the post. */
export interface PostOutputContext {
  /** The site configuration, navigation resolved. */
  config: SiteConfig;
  pageTemplates: TemplateSet;
  /** The email templates, when the site configures email. */
  emailTemplates?: TemplateSet;
  /** The build's clock. */
  now: Date;
  /** Read each page's search record as it is rendered (for the record cache), so the search step need not read the page again. */
  searchRecords?: boolean;
}

/** What a post wrote and what the rest of the build needs of it. */
export interface PostOutputs {
  /** Every file written, in the order written. */
  outputs: OutputRecord[];
  /** The ids and references of the post's page that the link check looks at. */
  references: PageReferences;
  /** The body as feeds carry it. */
  feedHtml: string;
  /** The email, when the post has one. */
  email?: RenderedEmail;
  /** What search indexes of the page (`null`: not indexed), with `searchRecords`. */
  searchRecord?: PageRecord | null;
}

/**
 * Renders one post's own files (its page, its email in four forms, its
 * images) and writes them at once, so nothing of them stays in memory but
 * what the lists, feeds and link check need.
 *
 * @param post    The loaded post.
 * @param context Configuration, templates and clock.
 * @param sink    Where the files go.
 */
export async function writePostOutputs(post: Post, context: PostOutputContext, sink: OutputSink): Promise<PostOutputs> {
  const { config } = context;
  const outputs: OutputRecord[] = [];
  const page = renderPostPage(post, { config, templates: context.pageTemplates, now: context.now });
  outputs.push(await sink.write(`blog/${post.slug}/index.html`, page));
  const email = config.email && context.emailTemplates && post.meta.newsletter ? await renderEmail(post, config, config.email, context.emailTemplates) : undefined;
  if (email) {
    outputs.push(await sink.write(`email/${post.slug}.mjml`, email.mjml));
    outputs.push(await sink.write(`email/${post.slug}.html`, email.html));
    outputs.push(await sink.write(`email/${post.slug}.txt`, email.text));
    outputs.push(await sink.write(`email/${post.slug}.json`, `${JSON.stringify(email.meta, null, 2)}\n`));
  }
  for (const media of post.media) outputs.push(await sink.write(`blog/${media.output}`, media.content));
  const searchRecord = context.searchRecords ? (pageRecord(page) ?? null) : undefined;
  return { outputs, references: checkedReferences(`${post.slug}/index.html`, pageReferences(page), config), feedHtml: feedHtml(post.tree, post.url), email, ...(searchRecord !== undefined ? { searchRecord } : {}) };
}
