import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CONFIG_FILE } from '../config/load-config.js';
import { PAGES_DIR } from '../content/find-pages.js';
import { POSTS_DIR } from '../content/find-posts.js';
import { SITE_TEMPLATES_DIR } from '../render/template-set.js';

/** A source file (or folder) and when it last changed. */
export interface SourceChange {
  /** Its path from the site root, with `/` separators (a folder ends in `/`). */
  path: string;
  mtimeMs: number;
}

/** Whether a build is older than its sources. */
export interface Freshness {
  stale: boolean;
  /** The source that changed last, when there is one. */
  newest?: SourceChange;
}

/** The newest entry under `path`, itself included (a folder's own time changes when a file is added or removed). */
async function newestUnder(root: string, path: string): Promise<SourceChange | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  const name = (full: string, folder: boolean) => `${relative(root, full).split(sep).join('/')}${folder ? '/' : ''}`;
  let newest: SourceChange = { path: name(path, info.isDirectory()), mtimeMs: info.mtimeMs };
  if (!info.isDirectory()) return newest;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    const full = join(entry.parentPath, entry.name);
    const time = (await stat(full).catch(() => undefined))?.mtimeMs ?? 0;
    if (time > newest.mtimeMs) newest = { path: name(full, entry.isDirectory()), mtimeMs: time };
  }
  return newest;
}

/**
 * The source of a site that changed last: any file or folder under `posts/`,
 * `pages/` or `templates/`, or `sahifa.config.json`.
 *
 * @param root The site root.
 */
export async function newestSource(root: string): Promise<SourceChange | undefined> {
  const found = await Promise.all([POSTS_DIR, PAGES_DIR, CONFIG_FILE, SITE_TEMPLATES_DIR].map((path) => newestUnder(root, join(root, path))));
  return found.reduce<SourceChange | undefined>((best, next) => (next && (!best || next.mtimeMs > best.mtimeMs) ? next : best), undefined);
}

/**
 * The one staleness rule of `sahifa send` and `sahifa publish`: a build is
 * stale when it is missing (`builtAt` 0) or when a post, a template or the
 * configuration changed after it was written.
 *
 * @param root    The site root.
 * @param builtAt When the build's output was written (ms since the epoch; 0 for none).
 */
export async function buildFreshness(root: string, builtAt: number): Promise<Freshness> {
  const newest = await newestSource(root);
  return { stale: builtAt === 0 || (newest !== undefined && newest.mtimeMs > builtAt), newest };
}

/**
 * When a file was last modified, or 0 when it does not exist.
 *
 * @param path The file (a build's manifest, an email).
 */
export async function modifiedAt(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
}
