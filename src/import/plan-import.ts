import type { Root } from 'hast';
import { stringify } from 'yaml';
import { slugFromFileName, slugProblem, suggestSlug } from '../content/slug.js';
import type { EntryKind, ExportContents, ImportedEntry, ImportWarning } from './entry.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { findMediaFile, mediaPathOf } from './media-folder.js';
import type { ImportCounts } from './summary.js';
import type { PlannedFile } from './write-new-files.js';

/** What differs between sources when their entries become files. */
export interface SourceRules {
  /** The path segments of an image address below the export's uploads folder, or `undefined` when it is not one of its files. */
  uploadsPathOf(url: URL): string[] | undefined;
  /** Address that relative image addresses are resolved against (the old site's). */
  baseUrl?: string;
  /** Source-specific clean-up of each body's HTML. */
  prepare?: (tree: Root) => void;
}

/** Everything an import would write, and what it found on the way. */
export interface ImportPlan {
  files: PlannedFile[];
  counts: ImportCounts;
  /** Images left at their addresses (no `--media`, or not in the export's uploads). */
  remoteImages: string[];
  warnings: ImportWarning[];
}

/** Folder of each kind under the site root. */
export const FOLDER: Readonly<Record<EntryKind, string>> = { post: 'posts', page: 'pages' };

/** Folder beside the posts (or pages) that copied images go to. */
const UPLOADS = 'uploads';

/**
 * Turns the entries of an export into Markdown files with front matter,
 * and the images they use into files to copy. Every slug is checked with the
 * project's slug rules (an unsafe one is replaced and reported; two entries,
 * posts and pages alike, never share one); an entry without a usable date or text is reported and
 * left out.
 *
 * @param contents    What the source reader found.
 * @param rules       The source's image and clean-up rules.
 * @param mediaFolder Real path of `--media`, when given.
 * @param siteSlugs   Slugs the site's own posts and pages use (lower case → file), which entries must not take.
 */
export async function planImport(contents: ExportContents, rules: SourceRules, mediaFolder?: string, siteSlugs: ReadonlyMap<string, string> = new Map()): Promise<ImportPlan> {
  const files: PlannedFile[] = [];
  const copies = new Map<string, PlannedFile>();
  const remote = new Set<string>();
  const warnings = [...contents.warnings];
  const counts: ImportCounts = { posts: 0, pages: 0, drafts: 0, notImported: { ...contents.notImported } };
  // Posts and pages share one folder of slugs under dist/blog/.
  const taken = new Set<string>();
  let skipped = 0;

  const imageFor = (kind: EntryKind, place: string) => async (src: string): Promise<string | undefined> => {
    let url: URL;
    try {
      url = new URL(src, rules.baseUrl);
    } catch {
      url = new URL('invalid:');
    }
    if (!/^https?:$/.test(url.protocol)) {
      // A relative address with no site to resolve it against would be a missing file in the build.
      warnings.push({ place, reason: `image "${src}" has no address on the web and no file in the export; dropped` });
      return undefined;
    }
    const segments = mediaFolder ? rules.uploadsPathOf(url) : undefined;
    const relative = segments && mediaPathOf(segments);
    const found = relative && mediaFolder ? await findMediaFile(mediaFolder, relative) : undefined;
    if (!relative || !found) {
      if (mediaFolder && segments) warnings.push({ place, reason: `image ${url.href} is not in --media ${relative ? '(no such file there)' : '(its path is unsafe)'}; left at its address` });
      remote.add(url.href);
      return url.href;
    }
    const path = `${FOLDER[kind]}/${UPLOADS}/${relative}`;
    copies.set(path, { path, copyFrom: found });
    return encodeURI(`${UPLOADS}/${relative}`);
  };

  // Every entry's new slug is known before any body is converted, so a link to a later entry can follow it.
  const named = contents.entries.map((entry) => nameEntry(entry, taken, siteSlugs, warnings));
  const moved = new Map<string, string>();
  for (const [index, entry] of contents.entries.entries()) {
    const slug = named[index]?.slug;
    // A draft has no page in the new site (nor had one in the old): links to it keep their old address.
    if (slug && !entry.draft) for (const address of entry.addresses ?? []) moved.set(addressKey(address) ?? '', slug);
  }
  moved.delete('');
  const link = (href: string): string => {
    const absolute = absoluteLink(href, rules.baseUrl);
    const slug = moved.get(addressKey(absolute) ?? '');
    return slug ? `../${encodeURIComponent(slug)}/` : absolute;
  };
  for (const [index, entry] of contents.entries.entries()) {
    const name = named[index];
    const planned = name && (await planEntry(entry, name, warnings, imageFor(entry.kind, entry.place), { ...rules, link }));
    if (!planned) {
      skipped += 1;
      continue;
    }
    files.push(planned);
    counts[entry.kind === 'post' ? 'posts' : 'pages'] += 1;
    if (entry.draft) counts.drafts += 1;
  }
  if (skipped) counts.notImported['unreadable entry'] = skipped;
  return { files: [...files, ...copies.values()], counts, remoteImages: [...remote], warnings };
}

/** An entry's title, its slug in the new site (unique among posts and pages) and its date. */
interface EntryName {
  title: string;
  slug: string;
  date?: string;
}

/**
 * Names an entry, or reports why it cannot be imported (a post without a
 * usable date). A slug the site already uses for another file is not taken:
 * the entry gets `-2`, `-3`…, and the warning says why; the file the entry
 * itself would write (an earlier run of the same import) is no clash.
 */
function nameEntry(entry: ImportedEntry, taken: Set<string>, siteSlugs: ReadonlyMap<string, string>, warnings: ImportWarning[]): EntryName | undefined {
  const title = oneLine(entry.title);
  const date = entry.kind === 'post' ? isoDate(entry.date) : undefined;
  if (entry.kind === 'post' && !date) {
    warnings.push({ place: entry.place, reason: `"${title || entry.slug}" has no usable date (${JSON.stringify(entry.date ?? '')}); not imported` });
    return undefined;
  }
  const wanted = safeSlug(entry, title, warnings);
  const clash = (slug: string) => {
    const owner = siteSlugs.get(slug.toLowerCase());
    return owner !== undefined && owner !== pathOf(entry.kind, slug, date);
  };
  const slug = uniqueSlug(wanted, (candidate) => !taken.has(candidate.toLowerCase()) && !clash(candidate));
  if (clash(wanted)) warnings.push({ place: entry.place, reason: `slug "${wanted}" is taken by ${siteSlugs.get(wanted.toLowerCase())} in the site; imported as "${slug}"` });
  taken.add(slug.toLowerCase());
  return { title, slug, ...(date ? { date } : {}) };
}

/** The file an entry is written to. */
function pathOf(kind: EntryKind, slug: string, date: string | undefined): string {
  return `${FOLDER[kind]}/${kind === 'post' ? `${date!.slice(0, 10)}-${slug}.md` : `${slug}.md`}`;
}

async function planEntry(
  entry: ImportedEntry,
  { title, slug, date }: EntryName,
  warnings: ImportWarning[],
  image: (src: string) => Promise<string | undefined>,
  rules: SourceRules & { link: (href: string) => string },
): Promise<PlannedFile | undefined> {
  const { markdown } = await htmlToMarkdown(entry.html, { prepare: rules.prepare, image, link: rules.link });
  if (!markdown.trim()) {
    warnings.push({ place: entry.place, reason: `"${title || slug}" has no text; not imported` });
    return undefined;
  }
  const cover = entry.image ? await image(entry.image) : undefined;
  const path = pathOf(entry.kind, slug, date);
  const fileName = path.slice(path.indexOf('/') + 1);
  const description = entry.description ? oneLine(entry.description) : '';
  const tags = [...new Set(entry.tags.map(oneLine).filter(Boolean))];
  const frontMatter = {
    title: title || slug,
    ...(date ? { date } : {}),
    ...(slugFromFileName(fileName) === slug ? {} : { slug }),
    ...(description ? { description } : {}),
    ...(entry.kind === 'post' && entry.author?.trim() ? { author: oneLine(entry.author) } : {}),
    ...(tags.length ? { tags } : {}),
    ...(cover ? { image: cover } : {}),
    ...(cover && entry.imageAlt && oneLine(entry.imageAlt) ? { image_alt: oneLine(entry.imageAlt) } : {}),
    ...(entry.draft ? { draft: true } : {}),
  };
  if (!title) warnings.push({ place: entry.place, reason: `an entry without a title; its slug "${slug}" is its title now` });
  return { path, content: `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n${markdown}` };
}

/** The entry's slug if the project's rules accept it, else one made from it or from the title (reported). */
function safeSlug(entry: ImportedEntry, title: string, warnings: ImportWarning[]): string {
  const given = entry.slug.trim();
  if (given && !slugProblem(given)) return given;
  const slug = [given, title].map((text) => (text ? suggestSlug(text) : 'my-post')).find((made) => made !== 'my-post') ?? 'untitled';
  if (given) warnings.push({ place: entry.place, reason: `slug "${given}" cannot be used (${slugProblem(given)}); imported as "${slug}"` });
  return slug;
}

/** `slug`, or `slug-2`, `slug-3`… when it is not free (an earlier entry or the site has it). */
function uniqueSlug(slug: string, isFree: (candidate: string) => boolean): string {
  if (isFree(slug)) return slug;
  for (let n = 2; ; n += 1) {
    const candidate = `${slug.slice(0, 75)}-${n}`;
    if (isFree(candidate)) return candidate;
  }
}

/** A link relative to the old site made absolute, so it still leads there (the new site has other paths). */
function absoluteLink(href: string, base: string | undefined): string {
  if (!base || href.startsWith('#') || /^[a-z][a-z\d+.-]*:/i.test(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/**
 * What identifies an old site's address however a post wrote it: `http` or
 * `https`, with or without `www.` or a trailing `/`, percent-encoded or not,
 * without a fragment; a query only when it names a post (`?p=12`,
 * `?page_id=3`). `undefined` for anything that is not a web address.
 */
function addressKey(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol)) return undefined;
  let path = url.pathname.replace(/\/+$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Escapes that are not UTF-8 stay as written.
  }
  const query = /^\?(?:p|page_id)=\d+$/.test(url.search) ? url.search : '';
  return `${url.hostname.replace(/^www\./, '')}${path.normalize('NFC').toLowerCase()}${query}`;
}

/** A real ISO 8601 date-time, or `undefined`. */
function isoDate(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < 1000 ? undefined : value;
}

/** Text on one line, without control characters, trimmed. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/gu, ' ').trim();
}
