import { parse } from 'csv-parse/sync';
import type { Element, Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';
import type { ExportContents } from './entry.js';
import type { ExportFiles } from './export-folder.js';
import type { SourceRules } from './plan-import.js';

/** Substack's subscribe and share buttons and widgets: the templates add sahifa's own. */
const PLATFORM_BLOCKS = /(?:^|\s)(?:subscription-widget-wrap(?:-editor)?|subscription-widget|button-wrapper|subscribe-widget|share-dialog|post-ufi|captioned-button-wrap)(?:\s|$)/;

const ADVICE = 'export again from Substack (Settings → Exports → Create new export)';

/**
 * Reads a Substack export (the zip from Settings → Exports, or the folder it
 * unpacks to): `posts.csv` (post_id `<number>.<slug>`, post_date,
 * is_published, type, title, subtitle) with each body in
 * `posts/<post_id>.html`. Unpublished posts become drafts.
 *
 * @param files  The export's files.
 * @param source The export's name, for messages.
 * @throws {Error} one line with the place when `posts.csv` is missing or malformed.
 */
export async function readSubstack(files: ExportFiles, source: string): Promise<ExportContents> {
  const csv = await files.read('posts.csv');
  if (!csv) throw new Error(`${source}: no posts.csv in it: this is no Substack export; ${ADVICE}`);
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(csv, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new Error(`${source}/posts.csv:${line}: malformed CSV: ${(error as Error).message.replace(/ at line \d+/, '')}; ${ADVICE}`);
  }
  const contents: ExportContents = { entries: [], notImported: {}, warnings: [] };
  const home = publicationAddress(files.names);
  for (const [index, row] of rows.entries()) {
    const id = (row.post_id ?? '').trim();
    const place = `${source}/posts.csv:${index + 2}`;
    const body = await files.read(`posts/${id}.html`);
    if (!body) {
      contents.warnings.push({ place, reason: `no posts/${id}.html in the export for "${row.title ?? ''}"; not imported` });
      continue;
    }
    // post_id is `<number>.<slug>`.
    const slug = id.slice(id.indexOf('.') + 1);
    contents.entries.push({
      kind: 'post',
      place,
      title: row.title ?? '',
      date: isoOf(row.post_date),
      slug,
      html: body.toString('utf8'),
      description: row.subtitle?.trim() || undefined,
      tags: [],
      draft: (row.is_published ?? '').trim().toLowerCase() !== 'true',
      ...(home ? { addresses: [`${home}/p/${encodeURIComponent(slug)}`] } : {}),
    });
  }
  return contents;
}

/** The source rules of Substack: its images live on its CDN (never in the export), and its buttons are dropped. */
export function substackRules(): SourceRules {
  return {
    uploadsPathOf: () => undefined,
    prepare(tree: Root) {
      visit(tree, 'element', (node: Element, index, parent) => {
        const className = node.properties.className;
        const classes = Array.isArray(className) ? className.join(' ') : '';
        if (!parent || index === undefined || !PLATFORM_BLOCKS.test(classes)) return undefined;
        parent.children.splice(index, 1);
        return [SKIP, index];
      });
    },
  };
}

/**
 * The publication's own address, `https://<name>.substack.com`, from the
 * email list's file name (`email_list.<name>.csv`): the export holds no
 * other. A custom domain cannot be known.
 */
function publicationAddress(names: readonly string[]): string | undefined {
  const name = names.map((file) => /^email_list\.([a-z0-9-]+)\.csv$/i.exec(file)?.[1]).find(Boolean);
  return name ? `https://${name.toLowerCase()}.substack.com` : undefined;
}

/** Substack's `2024-03-05T14:00:00.000Z` as ISO 8601 without milliseconds. */
function isoOf(value: string | undefined): string | undefined {
  const date = value?.trim() ? new Date(value.trim()) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : undefined;
}
