import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { CACHED_POST_FORMAT, type CachedMessage, type CachedPost } from '../cache/cached-post.js';
import type { FrontMatter } from '../content/front-matter.js';
import type { Post, PostSummary } from '../content/post.js';
import type { PostOutputs } from './post-outputs.js';

/**
 * The key of a post in the content cache: a hash of the site fingerprint
 * (sahifa, configuration, templates), the post's path and the hash of its
 * text ({@link sourceHash}, which the build stamp keeps, so a post whose file
 * did not change is found without being read). The images it uses are
 * checked separately, from the hashes in its entry.
 *
 * @param fingerprint  The site fingerprint.
 * @param relativePath The post's path under the site root.
 * @param sourceSha256 The SHA-256 of the post's text.
 */
export function postKey(fingerprint: string, relativePath: string, sourceSha256: string): string {
  return createHash('sha256').update(`${fingerprint}\0${relativePath}\0${sourceSha256}`).digest('hex');
}

/**
 * The SHA-256 of a post's text, as {@link postKey} takes it.
 *
 * @param source The post's text.
 */
export function sourceHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
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
 * A file changed this long before its `stat` was taken may have changed
 * again within the clock's resolution, or between its read and the `stat`:
 * its bytes are hashed again on the next build (git's "racily clean" rule).
 */
const RACY_MS = 2000;

/** The parts of a file's `stat` that change whenever its bytes may have, and when it was taken. */
type MediaStat = NonNullable<CachedPost['media'][number]['stat']>;

function mediaStat(source: string): MediaStat | undefined {
  const info = statSync(source, { throwIfNoEntry: false });
  return info ? { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, at: Date.now() } : undefined;
}

/**
 * The images a post read, with the hash of their bytes and their `stat`:
 * taken before the image step replaces them by the processed files, since
 * the cache checks the images as the writer has them.
 *
 * @param post The post.
 */
export function mediaHashes(post: Post): CachedPost['media'] {
  return post.media.map((media) => {
    const stat = mediaStat(media.source);
    return { source: media.source, sha256: sha256(media.content), ...(stat ? { stat } : {}) };
  });
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
 * Whether every image an entry's post used still has the bytes it had.
 * An image whose `stat` is the one kept, taken well after its last change,
 * is not read again (a site's photos would otherwise be read and hashed
 * whole on every build); any other is hashed. When images were hashed and
 * found unchanged, the answer carries the entry's media with a new `stat`,
 * for the cache to keep, so the next build need not hash them again.
 *
 * @param entry The cache entry.
 * @returns `false` when an image changed or is gone; else whether it was checked by its bytes, with fresh `stat`s.
 */
export async function mediaUnchanged(entry: CachedPost): Promise<false | { refreshed?: CachedPost['media'] }> {
  let hashed = false;
  for (const media of entry.media) {
    if (media.stat && statUnchanged(media.source, media.stat)) continue;
    const bytes = await readFile(media.source).catch(() => undefined);
    if (!bytes || sha256(bytes) !== media.sha256) return false;
    hashed = true;
  }
  if (!hashed) return {};
  const refreshed = entry.media.map((media) => ({ source: media.source, sha256: media.sha256, stat: mediaStat(media.source) }));
  // A file changed moments ago would be hashed again next time anyway: no new entry for it.
  if (refreshed.some(({ stat }) => !stat || racy(stat))) return {};
  return { refreshed };
}

function racy(stat: MediaStat): boolean {
  return stat.mtimeMs > stat.at - RACY_MS || stat.ctimeMs > stat.at - RACY_MS;
}

function statUnchanged(source: string, kept: MediaStat): boolean {
  if (racy(kept)) return false;
  const now = mediaStat(source);
  return now !== undefined && now.size === kept.size && now.mtimeMs === kept.mtimeMs && now.ctimeMs === kept.ctimeMs && now.ino === kept.ino;
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
