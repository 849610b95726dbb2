import type { Root as MdastRoot, Yaml } from 'mdast';
import type { VFile } from 'vfile';
import { z } from 'zod';
import { languageTag } from '../config/language-tag.js';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import { parseLocated, placeOfOffset, placeOfPath, type LocatedDocument } from '../diagnostics/yaml-places.js';
import { frontMatterSchema } from './front-matter.js';

const text = (what: string) => z.string({ error: `expected ${what} as text` }).trim().min(1, `expected ${what}, got nothing`);

/** The front-matter fields a page may have; each is documented in the README under "Pages". */
export const pageFrontMatterSchema = z.object({
  title: text('a title'),
  slug: z.string({ error: 'expected the slug as text' }).optional(),
  description: text('a description').optional(),
  lang: languageTag.optional(),
  dir: z.enum(['rtl', 'ltr'], { error: 'expected "rtl" or "ltr"' }).optional(),
  // The posts' own date rule (ISO 8601, a real calendar day), optional here.
  date: frontMatterSchema.shape.date.optional(),
  draft: z.boolean({ error: 'expected true or false' }).default(false),
});

/** A page's front matter after validation. */
export type PageFrontMatter = z.output<typeof pageFrontMatterSchema>;

/** Validated page front matter, and where each field is in the page. */
export interface LocatedPageFrontMatter {
  data: PageFrontMatter;
  /** Line and column of a field's value (or of the front matter when absent). */
  placeOf(field: keyof PageFrontMatter): Place;
  /** The line just after the closing `---`. */
  endLine: number;
}

const KNOWN_FIELDS = Object.keys(pageFrontMatterSchema.shape);

/** Aliases a front matter may expand before it counts as a "billion laughs" attack. */
const MAX_ALIASES = 100;

/**
 * Reads and validates the YAML front matter of a parsed page, recording
 * every problem on `file` at its line and column (the opening `---` counted).
 *
 * @param tree The page's mdast, parsed with remark-frontmatter.
 * @param file The page's file; messages go here.
 * @returns The front matter, or `undefined` when it is missing or invalid.
 */
export function readPageFrontMatter(tree: MdastRoot, file: VFile): LocatedPageFrontMatter | undefined {
  const node = tree.children.find((child): child is Yaml => child.type === 'yaml');
  if (!node?.position) {
    reportError(file, 'missing front matter: start the page with a `---` block holding at least `title:`', { line: 1, column: 1 }, 'front-matter-missing');
    return undefined;
  }
  let located: LocatedDocument;
  let data: unknown;
  try {
    located = parseLocated(node.value, node.position.start.line);
    const [yamlError] = located.document.errors;
    if (yamlError) {
      const reason = yamlError.message.split('\n')[0] ?? yamlError.message;
      reportError(file, `invalid YAML in front matter: ${reason}`, placeOfOffset(located, yamlError.pos[0]), 'front-matter-yaml');
      return undefined;
    }
    data = located.document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof ReferenceError)) throw error;
    reportError(file, 'the front matter nests or repeats aliases too much to be read: write its values out flat (`key: value`)', { line: node.position.start.line, column: 1 }, 'front-matter-yaml');
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    reportError(file, 'front matter must be `key: value` lines', placeOfPath(located, []), 'front-matter-shape');
    return undefined;
  }
  for (const key of Object.keys(data)) {
    if (!KNOWN_FIELDS.includes(key)) {
      file.message(`unknown front-matter field \`${key}\` is ignored; a page knows: ${KNOWN_FIELDS.join(', ')}`, {
        place: placeOfPath(located, [key]),
        ruleId: 'front-matter-unknown',
        source: 'sahifa',
      });
    }
  }
  const result = pageFrontMatterSchema.safeParse(data);
  if (result.success) {
    return { data: result.data, placeOf: (field) => placeOfPath(located, [field]), endLine: node.position.end.line + 1 };
  }
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    const missing = issue.path.length === 1 && !(String(issue.path[0]) in data);
    const reason = missing ? `missing \`${field}\` in front matter: add \`${field}: …\`` : `\`${field}\`: ${issue.message}`;
    reportError(file, reason, placeOfPath(located, issue.path), missing ? 'front-matter-missing-field' : 'front-matter-invalid');
  }
  return undefined;
}
