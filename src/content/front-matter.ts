import type { Root as MdastRoot, Yaml } from 'mdast';
import type { VFile } from 'vfile';
import { z } from 'zod';
import { LANGUAGE_TAG } from '../config/direction.js';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import { urlProblem } from './url-policy.js';
import { parseLocated, placeOfOffset, placeOfPath } from '../diagnostics/yaml-places.js';

/** ISO 8601 date or date-time: `2025-02-28`, `2025-02-28T09:30`, `2025-02-28T09:30:00+03:00`. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const isoDate = z.string({ error: 'expected an ISO 8601 date such as 2025-02-28' }).superRefine((value, context) => {
  if (!ISO_8601.test(value)) {
    context.addIssue({ code: 'custom', message: 'expected an ISO 8601 date such as 2025-02-28 or 2025-02-28T09:30:00+03:00' });
  } else if (!isRealDate(value)) {
    context.addIssue({ code: 'custom', message: 'this date does not exist on the calendar' });
  }
});

/** True when the year-month-day part names a real day (Date.parse accepts 2025-02-30). */
function isRealDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value));
}

const text = (what: string) => z.string({ error: `expected ${what} as text` }).trim().min(1, `expected ${what}, got nothing`);

/** The front-matter fields a post may have; each is documented in the README. */
export const frontMatterSchema = z.object({
  title: text('a title'),
  date: isoDate,
  description: text('a description').optional(),
  slug: z.string({ error: 'expected the slug as text' }).optional(),
  lang: z.string().regex(LANGUAGE_TAG, 'expected a language tag such as "ar" or "en"').optional(),
  dir: z.enum(['rtl', 'ltr'], { error: 'expected "rtl" or "ltr"' }).optional(),
  author: text('an author').optional(),
  tags: z
    .union([text('a tag'), z.array(text('a tag'))], { error: 'expected a tag or a list of tags' })
    .transform((tags) => (Array.isArray(tags) ? tags : [tags]))
    .default([]),
  image: text('an image path or URL')
    .superRefine((value, context) => {
      const problem = urlProblem(value, { relative: true });
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  draft: z.boolean({ error: 'expected true or false' }).default(false),
  newsletter: z.boolean({ error: 'expected true or false' }).default(true),
});

/** Front matter after validation. */
export type FrontMatter = z.output<typeof frontMatterSchema>;

/** Validated front matter, and where each field is in the post. */
export interface LocatedFrontMatter {
  data: FrontMatter;
  /** Line and column of a field's value (or of the front matter when absent). */
  placeOf(field: keyof FrontMatter): Place;
  /** The line just after the closing `---`. */
  endLine: number;
}

const KNOWN_FIELDS = Object.keys(frontMatterSchema.shape);

/**
 * Reads and validates the YAML front matter of a parsed post. Every problem
 * is recorded on `file` with its line and column in the post (the opening
 * `---` counted), so all of them can be shown at once.
 *
 * @param tree The post's mdast, parsed with remark-frontmatter.
 * @param file The post's file; messages go here.
 * @returns The front matter, or `undefined` when it is missing or invalid.
 */
export function readFrontMatter(tree: MdastRoot, file: VFile): LocatedFrontMatter | undefined {
  const node = tree.children.find((child): child is Yaml => child.type === 'yaml');
  if (!node?.position) {
    reportError(file, 'missing front matter: start the post with a `---` block holding at least `title:` and `date:`', { line: 1, column: 1 }, 'front-matter-missing');
    return undefined;
  }
  const located = parseLocated(node.value, node.position.start.line);
  const [yamlError] = located.document.errors;
  if (yamlError) {
    const reason = yamlError.message.split('\n')[0] ?? yamlError.message;
    reportError(file, `invalid YAML in front matter: ${reason}`, placeOfOffset(located, yamlError.pos[0]), 'front-matter-yaml');
    return undefined;
  }
  const data: unknown = located.document.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    reportError(file, 'front matter must be `key: value` lines', placeOfPath(located, []), 'front-matter-shape');
    return undefined;
  }
  for (const key of Object.keys(data)) {
    if (!KNOWN_FIELDS.includes(key)) {
      file.message(`unknown front-matter field \`${key}\` is ignored; known fields: ${KNOWN_FIELDS.join(', ')}`, {
        place: placeOfPath(located, [key]),
        ruleId: 'front-matter-unknown',
        source: 'sahifa',
      });
    }
  }
  const result = frontMatterSchema.safeParse(data);
  if (result.success) {
    return {
      data: result.data,
      placeOf: (field) => placeOfPath(located, [field]),
      endLine: node.position.end.line + 1,
    };
  }
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    const missing = issue.path.length === 1 && !(String(issue.path[0]) in data);
    const reason = missing ? `missing \`${field}\` in front matter: add \`${field}: …\`` : `\`${field}\`: ${issue.message}`;
    reportError(file, reason, placeOfPath(located, issue.path), missing ? 'front-matter-missing-field' : 'front-matter-invalid');
  }
  return undefined;
}
