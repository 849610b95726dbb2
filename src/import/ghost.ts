import type { ExportContents, ImportedEntry } from './entry.js';
import { parseJsonAt } from './json-place.js';
import type { SourceRules } from './plan-import.js';

/** Ghost statuses: `published` and `sent` (a newsletter-only post) are published; `draft` and `scheduled` become drafts. */
const PUBLISHED = new Set(['published', 'sent']);
const DRAFTS = new Set(['draft', 'scheduled']);

/** The placeholder Ghost writes for its own address in exported content. */
const GHOST_URL = '__GHOST_URL__';

/** What `__GHOST_URL__` becomes without `--url`: an address that is clearly no real site (RFC 2606). */
export const UNKNOWN_GHOST_SITE = 'https://ghost-site.invalid';

type Row = Record<string, unknown>;

const ADVICE = 'export the site again from Ghost (Settings → Advanced → Import/Export → Export)';

/**
 * Reads a Ghost JSON export: `db[0].data` holds the tables `posts` (with
 * `html`, `type` or the older `page` flag, `status`, `published_at`,
 * `feature_image`, `custom_excerpt`), `tags` and `posts_tags`, `users` and
 * `posts_authors` (or the older `author_id`). Posts that are only in the
 * editor's own format (no `html`) are reported.
 *
 * @param text   The export's text.
 * @param source The export's name, for messages.
 * @param siteUrl The old site's address (`--url`), which `__GHOST_URL__` in the content stands for.
 * @throws {Error} one line with the place when the JSON is malformed or no Ghost export.
 */
export function readGhost(text: string, source: string, siteUrl = UNKNOWN_GHOST_SITE): ExportContents {
  const site = siteUrl.replace(/\/$/, '');
  const local = (value: string) => value.replaceAll(GHOST_URL, site);
  const json = parseJsonAt(text, source, ADVICE) as { db?: Array<{ data?: Row }>; data?: Row };
  const data = (Array.isArray(json?.db) ? json.db[0]?.data : json?.data) as Row | undefined;
  if (!data || typeof data !== 'object' || !Array.isArray(data.posts)) throw new Error(`${source}:1:1: not a Ghost export: expected "db": [{ "data": { "posts": [...] } }]; ${ADVICE}`);
  const rows = (name: string) => (Array.isArray(data[name]) ? (data[name] as unknown[]).filter((row): row is Row => typeof row === 'object' && row !== null) : []);
  const tags = new Map(rows('tags').map((tag) => [str(tag.id), tag]));
  const users = new Map(rows('users').map((user) => [str(user.id), str(user.name)]));
  const tagsOf = groupBy(rows('posts_tags'), 'post_id');
  const authorsOf = groupBy(rows('posts_authors'), 'post_id');
  // Ghost 4 and later keep the feature image's alt text in posts_meta.
  const metaOf = groupBy(rows('posts_meta'), 'post_id');
  const contents: ExportContents = { entries: [], notImported: {}, warnings: [] };
  for (const post of rows('posts')) {
    const status = str(post.status);
    const id = str(post.id);
    const place = `${source} (post ${JSON.stringify(id)})`;
    if (!PUBLISHED.has(status) && !DRAFTS.has(status)) continue;
    const kind = str(post.type) === 'page' || post.page === true || post.page === 1 ? 'page' : 'post';
    const html = local(str(post.html));
    if (!html && (post.mobiledoc || post.lexical)) {
      contents.warnings.push({ place, reason: `"${str(post.title)}" has no html, only the editor's own format; open and save it in Ghost, then export again` });
    }
    const authorIds = (authorsOf.get(id) ?? []).sort(bySortOrder).map((link) => str(link.author_id));
    if (authorIds.length === 0 && post.author_id) authorIds.push(str(post.author_id));
    const entry: ImportedEntry = {
      kind,
      place,
      title: str(post.title),
      date: isoOf(post.published_at) ?? isoOf(post.created_at),
      slug: str(post.slug),
      html,
      description: str(post.custom_excerpt) || undefined,
      tags: (tagsOf.get(id) ?? [])
        .sort(bySortOrder)
        .map((link) => tags.get(str(link.tag_id)))
        // Internal tags (#name, visibility "internal") organise Ghost, not readers.
        .filter((tag): tag is Row => Boolean(tag) && str(tag?.visibility) !== 'internal' && !str(tag?.name).startsWith('#'))
        .map((tag) => str(tag.name)),
      image: local(str(post.feature_image)) || undefined,
      imageAlt: str(metaOf.get(id)?.[0]?.feature_image_alt).trim() || undefined,
      author: authorIds.map((author) => users.get(author)).filter(Boolean).join('، ') || undefined,
      draft: !PUBLISHED.has(status),
      // Ghost's default permalink, `/<slug>/`.
      addresses: [`${site}/${encodeURIComponent(str(post.slug))}/`],
    };
    contents.entries.push(entry);
  }
  return contents;
}

/**
 * The source rules of Ghost: its images live under `/content/images/`
 * (the `--media` folder is that `content/images` folder).
 *
 * @param siteUrl The old site's address (`--url`).
 */
export function ghostRules(siteUrl = UNKNOWN_GHOST_SITE): SourceRules {
  return {
    baseUrl: `${siteUrl.replace(/\/$/, '')}/`,
    uploadsPathOf(url) {
      const segments = url.pathname.split('/').slice(1);
      const at = segments.findIndex((segment, index) => segment === 'content' && segments[index + 1] === 'images');
      return at === -1 ? undefined : segments.slice(at + 2);
    },
  };
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(str(row[key]), [...(groups.get(str(row[key])) ?? []), row]);
  return groups;
}

function bySortOrder(a: Row, b: Row): number {
  return Number(a.sort_order ?? 0) - Number(b.sort_order ?? 0);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A Ghost date (ISO 8601 text, or milliseconds in old exports) as ISO 8601 in UTC. */
function isoOf(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = new Date(typeof value === 'number' ? value : str(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}
