import { resolve, sep } from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { loadConfig } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import type { Post } from '../content/post.js';
import { BuildFailure, fileFailure, hasFatal } from '../diagnostics/build-failure.js';
import { emailHelpers, renderEmail, type RenderedEmail } from '../render/email/render-email.js';
import { pageHelpers } from '../render/page/helpers.js';
import { renderIndexPage, renderPostPage } from '../render/page/render-pages.js';
import { loadAssets } from '../render/site/assets.js';
import { loadTemplateSet } from '../render/template-set.js';
import { loadPosts } from './load-posts.js';
import { writeAtomically } from './write-atomically.js';

/** Options of {@link build}. */
export interface BuildOptions {
  /** The site root, holding `sahifa.config.json` and `posts/`. */
  root: string;
  /** Output folder (default `<root>/dist`). */
  out?: string;
  /** Publish posts marked `draft: true`. */
  drafts?: boolean;
  /** Render only; write nothing. */
  write?: boolean;
  /** The build's clock (default: now). */
  now?: Date;
  /** Called as posts are processed, for a progress line. */
  onProgress?: (done: number, total: number) => void;
}

/** What a build produced, in memory as well as on disk. */
export interface BuildResult {
  config: SiteConfig;
  /** Absolute path of the output folder. */
  outDir: string;
  /** The published posts. */
  posts: Post[];
  /** Drafts left out. */
  drafts: Post[];
  /** Every output file by path relative to the output folder. */
  files: Map<string, string | Uint8Array>;
  /** Number of blog pages written. */
  pages: number;
  /** The newsletter emails, by post slug. */
  emails: Map<string, RenderedEmail>;
  /** Warnings from every file (no fatal ones: those throw). */
  warnings: VFileMessage[];
  /** Wall-clock duration in seconds. */
  seconds: number;
}

/** Renders the email of every post that wants one, when the site configures email. */
async function renderEmails(root: string, config: SiteConfig, posts: readonly Post[]): Promise<Map<string, RenderedEmail>> {
  const emails = new Map<string, RenderedEmail>();
  const email = config.email;
  if (!email) return emails;
  const templates = await loadTemplateSet(root, 'email', emailHelpers);
  const rendered = await Promise.all(posts.filter((post) => post.meta.newsletter).map(async (post) => [post.slug, await renderEmail(post, config, email, templates)] as const));
  for (const [slug, message] of rendered) if (message) emails.set(slug, message);
  return emails;
}

/**
 * Builds the site: reads the configuration and every post, renders every
 * output in memory, and only when nothing failed replaces the output folder
 * in one step.
 *
 * @param options Where the site is and where the output goes.
 * @returns What was built.
 * @throws {BuildFailure} with every problem found; the previous output is left untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const root = resolve(options.root);
  const outDir = resolve(options.out ?? resolve(root, 'dist'));
  if (root === outDir || (root + sep).startsWith(outDir + sep)) {
    throw fileFailure(outDir, 'the output folder would hold the site itself: choose an --out inside or beside the site, such as dist', 'output-contains-site');
  }
  const config = await loadConfig(root);
  const { posts, drafts, messages } = await loadPosts(root, config, options.drafts ?? false, options.onProgress);
  if (hasFatal(messages)) throw new BuildFailure(messages);

  const now = options.now ?? new Date();
  const templates = await loadTemplateSet(root, 'page', pageHelpers);
  const files = new Map<string, string | Uint8Array>();
  for (const post of posts) {
    files.set(`blog/${post.slug}/index.html`, renderPostPage(post, { config, templates, now }));
  }
  files.set('blog/index.html', renderIndexPage(posts, { config, templates, now }));
  const pages = files.size;
  for (const [path, content] of await loadAssets(root)) files.set(`blog/${path}`, content);
  const emails = await renderEmails(root, config, posts);
  for (const [slug, email] of emails) {
    files.set(`email/${slug}.mjml`, email.mjml);
    files.set(`email/${slug}.html`, email.html);
    files.set(`email/${slug}.txt`, email.text);
    files.set(`email/${slug}.json`, `${JSON.stringify(email.meta, null, 2)}\n`);
  }
  const allMessages = [...new Set([...messages, ...posts.flatMap((post) => post.file.messages)])];
  if (hasFatal(allMessages)) throw new BuildFailure(allMessages);

  if (options.write !== false) await writeAtomically(outDir, files);
  return {
    config,
    outDir,
    posts,
    drafts,
    files,
    pages,
    emails,
    warnings: allMessages,
    seconds: (performance.now() - started) / 1000,
  };
}
