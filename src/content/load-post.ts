import { toText } from 'hast-util-to-text';
import type { VFile } from 'vfile';
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import { coverOf } from './cover.js';
import { resolveImages } from './images.js';
import type { Post } from './post.js';
import { postInstant } from './post-date.js';
import { readDocument, summaryOf, type DocumentContext, type DocumentKind } from './read-document.js';

/** What {@link loadPost} needs besides the file. */
export type LoadPostContext = DocumentContext;

/** How posts are read and named in messages. */
const POST: DocumentKind<FrontMatter> = { noun: 'post', opening: '`title: …`, `date: …`', readFrontMatter };

/**
 * Turns a post file into a {@link Post}: front matter read and checked, slug
 * decided, body transformed to hast. Problems are recorded on the file.
 *
 * @param file    The post, already read.
 * @param context Site configuration and processors.
 * @returns The post, or `undefined` when it has a fatal problem.
 */
export async function loadPost(file: VFile, context: LoadPostContext): Promise<Post | undefined> {
  const document = await readDocument(file, POST, context);
  if (!document) return undefined;
  const { frontMatter, slug, lang, dir, tree, url } = document;
  const meta = frontMatter.data;
  const cover = coverOf(frontMatter, file);
  const images = await resolveImages(tree, file, context.postsDir, cover);
  return {
    file,
    meta,
    slug,
    lang,
    dir,
    date: postInstant(meta.date, context.config.timeZone),
    tree,
    words: toText(tree).split(/\s+/u).filter(Boolean).length,
    summary: meta.description ?? summaryOf(tree),
    url,
    cover: images.cover ?? cover?.value,
    coverAlt: cover?.alt,
    media: images.media,
  };
}
