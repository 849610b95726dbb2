import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PageLink, PageReferences } from '../pipeline/page-references.js';
import { CacheDatabase } from './cache-database.js';
import { cacheRoot } from './cache-root.js';

const DATABASE = 'pages.sqlite';
/** Bumped when a stored entry changes shape. */
const FORMAT = 1;

/** A page to render: its path under `blog/`, its template and the template's context (plain data only). */
export interface PagePlan {
  path: string;
  template: string;
  /** The template's context, made only when the page is rendered (a page the cache holds never needs it). */
  context: () => object;
  /**
   * What together determines the context besides the build's fingerprint
   * and the page's path: objects, by their JSON (parts shared by many pages
   * given as the same object each time, none changed once planned), and
   * digests made elsewhere (a post's, see `postDigest`), as they are.
   */
  parts: readonly (object | string)[];
}

/** What is kept of a rendered page: its bytes' hash and size, and what the link check needs of it. */
export interface CachedPage {
  sha256: string;
  size: number;
  references: PageReferences;
}

/**
 * The pages made from many posts at once (the home page and its
 * continuations, tag pages…), kept by a hash of everything they are made
 * from (`.sahifa/cache/pages/pages.sqlite`): sahifa's code, the
 * configuration and templates (the build's fingerprint), the page's path,
 * template and context. One edited post changes the few list pages that
 * show it; the others are neither rendered nor scanned for the link check
 * again, their file is left as the previous output has it. Contexts are
 * plain data, so their JSON is a faithful key.
 */
export class PageCache {
  private readonly db: CacheDatabase;
  /** The SHA-256 of the JSON of each part of a plan keyed so far, by identity: parts shared by many pages are written out and hashed once per build. */
  private readonly digests = new WeakMap<object, string>();

  /**
   * Opens (or creates) the page cache of a site.
   *
   * @param root        The site root.
   * @param fingerprint The build's fingerprint (sahifa, configuration, templates, copyright year).
   */
  constructor(
    root: string,
    private readonly fingerprint: string,
  ) {
    this.db = new CacheDatabase(join(cacheRoot(root), 'pages'), DATABASE, FORMAT, { name: 'pages', columns: 'page TEXT NOT NULL' });
  }

  /**
   * The key of a page: a SHA-256 of the fingerprint, the page's path and
   * template, and the hash of each part of its context (a digest part as it is).
   *
   * @param plan The page to render.
   */
  keyOf(plan: PagePlan): string {
    const hash = createHash('sha256').update(`${this.fingerprint}\0${plan.path}\0${plan.template}`);
    for (const part of plan.parts) {
      if (typeof part === 'string') {
        hash.update(part);
        continue;
      }
      let digest = this.digests.get(part);
      if (digest === undefined) this.digests.set(part, (digest = createHash('sha256').update(JSON.stringify(part)).digest('hex')));
      hash.update(digest);
    }
    return hash.digest('hex');
  }

  /**
   * The page kept under `key`, when there is a sound one.
   *
   * @param key From {@link keyOf}.
   */
  get(key: string): CachedPage | undefined {
    const row = this.db.read<{ page: string }>(key, 'page');
    if (!row) return undefined;
    let stored: unknown;
    try {
      stored = JSON.parse(row.page);
    } catch {
      return undefined;
    }
    const page = storedPage(stored);
    if (page) this.db.markUsed(key);
    return page;
  }

  /**
   * Keeps a rendered page.
   *
   * @param key  From {@link keyOf}.
   * @param page Its hash, size and references.
   */
  put(key: string, page: CachedPage): void {
    this.db.store(key, [JSON.stringify({ sha256: page.sha256, size: page.size, ids: [...page.references.ids], links: page.references.links })]);
  }

  /** Stores what waits, drops entries no build has used for a while, and closes the database. */
  close(): void {
    this.db.close();
  }
}

/** A stored entry back as a page, or `undefined` when it is not the shape this code writes. */
function storedPage(stored: unknown): CachedPage | undefined {
  if (!stored || typeof stored !== 'object') return undefined;
  const { sha256, size, ids, links } = stored as Record<string, unknown>;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256) || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
  if (!Array.isArray(links) || !links.every(isPageLink)) return undefined;
  return { sha256, size, references: { ids: new Set(ids as string[]), links: links as PageLink[] } };
}

function isPageLink(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const { tagName, attribute, value: target, place } = value as Record<string, unknown>;
  if (typeof tagName !== 'string' || typeof attribute !== 'string' || typeof target !== 'string') return false;
  if (place === undefined) return true;
  const { line, column, offset } = (place ?? {}) as Record<string, unknown>;
  return [line, column, offset].every((number) => typeof number === 'number');
}
