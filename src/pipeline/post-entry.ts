import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { CACHED_POST_FORMAT, type CachedMessage, type CachedPost } from '../cache/cached-post.js';
import type { FrontMatter } from '../content/front-matter.js';
import type { Post, PostSummary } from '../content/post.js';
import type { PostOutputs } from './post-outputs.js';

/**
 * The key of a post in the content cache: a hash of the site fingerprint
 * (sahifa, configuration, templates), the post's path and its bytes. The
 * images it uses are checked separately, from the hashes in its entry.
 *
 * @param fingerprint  The site fingerprint.
 * @param relativePath The post's path under the site root.
 * @param source       The post's text.
 */
export function postKey(fingerprint: string, relativePath: string, source: string): string {
  return createHash('sha256').update(`${fingerprint}\0${relativePath}\0`).update(source).digest('hex');
}

/** The fields of a post that its cache entry keeps. */
export type EntryPost = CachedPost['post'];

/**
 * The fields of a post its cache entry keeps (what lists, feeds and the sitemap need).
 *
 * @param post The post.
 */
export function entryPost(post: Post): EntryPost {
  return { meta: post.meta, slug: post.slug, lang: post.lang, dir: post.dir, date: post.date, words: post.words, summary: post.summary, url: post.url, cover: post.cover, coverAlt: post.coverAlt };
}

/**
 * The images a post read, with the hash of their bytes: taken before the
 * image step replaces them by the processed files, since the cache checks
 * the images as the writer has them.
 *
 * @param post The post.
 */
export function mediaHashes(post: Post): CachedPost['media'] {
  return post.media.map((media) => ({ source: media.source, sha256: sha256(media.content) }));
}

/**
 * The cache entry of a post just rendered.
 *
 * @param key     The post's key.
 * @param post    The post.
 * @param written What rendering it wrote.
 * @param media   Its images as the writer has them ({@link mediaHashes}, taken before the image step).
 */
export function entryOf(key: string, post: Post, written: Pick<PostOutputs, 'outputs' | 'references'>, media: CachedPost['media']): CachedPost {
  return { format: CACHED_POST_FORMAT, key, media, post: entryPost(post), messages: post.file.messages.map(storedMessage), outputs: written.outputs, references: written.references };
}

/**
 * True when every image an entry's post used still has the bytes it had.
 *
 * @param entry The cache entry.
 */
export async function mediaUnchanged(entry: CachedPost): Promise<boolean> {
  for (const media of entry.media) {
    const bytes = await readFile(media.source).catch(() => undefined);
    if (!bytes || sha256(bytes) !== media.sha256) return false;
  }
  return true;
}

/**
 * The post of a cache entry, its messages put back on its file (so a cached
 * post's warnings are printed as on the build that rendered it).
 *
 * @param entry The cache entry.
 * @param file  The post's file.
 */
export function summaryOf(entry: Pick<CachedPost, 'post' | 'messages'>, file: VFile): PostSummary {
  restoreMessages(entry.messages, file);
  return { ...entry.post, meta: entry.post.meta as FrontMatter, file };
}

/**
 * Puts stored messages back on a post's file.
 *
 * @param messages The messages, as stored.
 * @param file     The post's file.
 */
export function restoreMessages(messages: readonly CachedMessage[], file: VFile): void {
  for (const stored of messages) {
    const message = file.message(stored.reason, { place: stored.place, ruleId: stored.ruleId, source: stored.source });
    message.fatal = stored.fatal;
    if (stored.note !== undefined) message.note = stored.note;
    if (stored.url !== undefined) message.url = stored.url;
  }
}

/**
 * A message as a cache entry (or a worker's answer) carries it.
 *
 * @param message The message.
 */
export function storedMessage(message: VFileMessage): CachedMessage {
  return {
    reason: message.reason,
    place: message.place ? structuredClone(message.place) : undefined,
    ruleId: message.ruleId,
    source: message.source,
    fatal: message.fatal,
    note: message.note,
    url: message.url,
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
