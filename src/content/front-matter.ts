import type { Root as MdastRoot, Yaml } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'yaml';
import { z } from 'zod';
import { languageTag } from '../config/language-tag.js';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import { urlProblem } from './url-policy.js';
import { parseLocated, placeOfOffset, placeOfPath, type LocatedDocument } from '../diagnostics/yaml-places.js';
import { LONE_SURROGATE, plainLine } from './plain-text.js';

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

const imageAddress = text('an image path or URL').superRefine((value, context) => {
  const problem = urlProblem(value, { relative: true });
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

const altText = z.string({ error: 'expected the alt text (what the image shows), or "" for decoration' });

/** The front-matter fields a post may have; each is documented in the README. */
export const frontMatterSchema = z.object({
  title: text('a title'),
  date: isoDate,
  description: text('a description').optional(),
  slug: z.string({ error: 'expected the slug as text' }).optional(),
  lang: languageTag.optional(),
  dir: z.enum(['rtl', 'ltr'], { error: 'expected "rtl" or "ltr"' }).optional(),
  author: text('an author').optional(),
  tags: z
    .union([text('a tag'), z.array(text('a tag'))], { error: 'expected a tag or a list of tags' })
    .transform((tags) => (Array.isArray(tags) ? tags : [tags]))
    .default([]),
  image: imageAddress.optional(),
  /** The cover's alt text; `""` says it is decoration. */
  image_alt: altText.optional(),
  /** The cover as one field: `cover: { src: assets/x.jpg, alt: … }` (instead of `image` and `image_alt`). */
  cover: z
    .strictObject({ src: imageAddress, alt: altText.optional() }, { error: 'expected `src:` (a path or URL) and `alt:` (what the image shows) under `cover:`' })
    .optional(),
  draft: z.boolean({ error: 'expected true or false' }).default(false),
  newsletter: z.boolean({ error: 'expected true or false' }).default(true),
});

/** Front matter after validation. */
export type FrontMatter = z.output<typeof frontMatterSchema>;

/** Validated front matter of type `T`, and where each field is in its document. */
export interface Located<T> {
  data: T;
  /** Line and column of a field's value (or of the front matter when absent). */
  placeOf(field: keyof T): Place;
  /** The line just after the closing `---`. */
  endLine: number;
}

/** Validated front matter, and where each field is in the post. */
export type LocatedFrontMatter = Located<FrontMatter>;

/** What a kind of document (post, page) asks of its front matter. */
export interface FrontMatterKind<S extends z.ZodObject> {
  /** The fields it may have. */
  schema: S;
  /** What the document is called in messages: "post", "page". */
  noun: string;
  /** The fields it must have, as a missing front matter's message names them. */
  required: string;
}

/** The text fields that reach plain-text contexts (subject, feeds, terminals), in any kind of front matter. */
interface PlainTextFields {
  title: string;
  description?: string | undefined;
  author?: string | undefined;
  tags?: string[] | undefined;
  image_alt?: string | undefined;
  cover?: { alt?: string | undefined } | undefined;
}

/** A post's front matter. */
const POST_KIND: FrontMatterKind<typeof frontMatterSchema> = { schema: frontMatterSchema, noun: 'post', required: '`title:` and `date:`' };

/**
 * Reads and validates the YAML front matter of a parsed post. Every problem
 * is recorded on `file` with its line and column in the post (the opening
 * `---` counted).
 *
 * @param tree The post's mdast, parsed with remark-frontmatter.
 * @param file The post's file; messages go here.
 * @returns The front matter, or `undefined` when it is missing or invalid.
 */
export function readFrontMatter(tree: MdastRoot, file: VFile): LocatedFrontMatter | undefined {
  return readFrontMatterOf(POST_KIND, tree, file);
}

/**
 * Reads the YAML front matter of any kind of document against its schema:
 * the same YAML, alias, character and plain-text rules for posts and pages,
 * each problem recorded on `file` at its line and column.
 *
 * @param kind The document's schema and how messages name it.
 * @param tree Its mdast, parsed with remark-frontmatter.
 * @param file Its file; messages go here.
 * @returns The front matter, or `undefined` when it is missing or invalid.
 */
export function readFrontMatterOf<S extends z.ZodObject>(kind: FrontMatterKind<S>, tree: MdastRoot, file: VFile): Located<z.output<S>> | undefined {
  const node = tree.children.find((child): child is Yaml => child.type === 'yaml');
  if (!node?.position) {
    reportError(file, `missing front matter: start the ${kind.noun} with a \`---\` block holding at least ${kind.required}`, { line: 1, column: 1 }, 'front-matter-missing');
    return undefined;
  }
  let located: LocatedDocument;
  try {
    located = parseLocated(node.value, node.position.start.line);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportError(file, 'the front matter nests too deeply to be read: write its values flat (`key: value`, lists of text)', { line: node.position.start.line, column: 1 }, 'front-matter-yaml');
    return undefined;
  }
  const [yamlError] = located.document.errors;
  if (yamlError) {
    const reason = yamlError.message.split('\n')[0] ?? yamlError.message;
    reportError(file, `invalid YAML in front matter: ${reason}`, placeOfOffset(located, yamlError.pos[0]), 'front-matter-yaml');
    return undefined;
  }
  let data: unknown;
  try {
    data = located.document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    reportError(file, `the front matter repeats YAML aliases (\`*name\`) too much to be read (more than ${MAX_ALIASES} copies): write the values out instead of aliasing them`, firstAlias(located), 'front-matter-aliases');
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    reportError(file, 'front matter must be `key: value` lines', placeOfPath(located, []), 'front-matter-shape');
    return undefined;
  }
  const known = Object.keys(kind.schema.shape);
  for (const key of Object.keys(data)) {
    if (!known.includes(key)) {
      file.message(`unknown front-matter field \`${key}\` is ignored; known fields: ${known.join(', ')}`, {
        place: placeOfPath(located, [key]),
        ruleId: 'front-matter-unknown',
        source: 'sahifa',
      });
    }
  }
  if (!checkCharacters(data, file, located)) return undefined;
  const result = kind.schema.safeParse(data);
  if (result.success) {
    const parsed = result.data as z.output<S>;
    if (!cleanText(parsed as PlainTextFields, file, located)) return undefined;
    return { data: parsed, placeOf: (field) => placeOfPath(located, [String(field)]), endLine: node.position.end.line + 1 };
  }
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    const missing = issue.path.length === 1 && !(String(issue.path[0]) in data);
    const reason = missing ? `missing \`${field}\` in front matter: add \`${field}: …\`` : `\`${field}\`: ${issue.message}`;
    reportError(file, reason, placeOfPath(located, issue.path), missing ? 'front-matter-missing-field' : 'front-matter-invalid');
  }
  return undefined;
}

/** Aliases a front matter may expand before it counts as a "billion laughs" attack. */
const MAX_ALIASES = 100;

/** Where the first alias is, to point the error at. */
function firstAlias(located: LocatedDocument): Place {
  let offset: number | undefined;
  visit(located.document, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset === undefined ? placeOfPath(located, []) : placeOfOffset(located, offset);
}

/**
 * Refuses a string holding a lone UTF-16 surrogate (a `"\uD800"` escape):
 * it is not a character, and every URL built from it would fail.
 */
function checkCharacters(data: object, file: VFile, located: LocatedDocument): boolean {
  const pending: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: data, path: [] }];
  let fine = true;
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      const found = LONE_SURROGATE.exec(value);
      if (found) {
        const code = found[0].charCodeAt(0).toString(16).toUpperCase();
        reportError(file, `\`${path.map(String).join('.')}\` holds a lone surrogate (\\u${code}), which is not a character: remove the escape, or write the whole character (a pair such as \\uD83D\\uDE00, or the character itself)`, placeOfPath(located, path), 'front-matter-invalid-text');
        fine = false;
      }
    } else if (value && typeof value === 'object' && path.length < 8) {
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, path: [...path, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return fine;
}

/**
 * Cleans the text fields that reach plain-text contexts (title, description,
 * author, tags) of control and bidi override characters, with a warning at
 * the field, since they would spoof or break the title in the Subject, the
 * feeds and terminals.
 */
function cleanText(data: PlainTextFields, file: VFile, located: LocatedDocument): boolean {
  const clean = (value: string, path: PropertyKey[]): string => {
    const cleaned = plainLine(value);
    if (cleaned !== value) {
      file.message(`\`${path.map(String).join('.')}\` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed`, {
        place: placeOfPath(located, path),
        ruleId: 'front-matter-controls',
        source: 'sahifa',
      });
    }
    return cleaned;
  };
  data.title = clean(data.title, ['title']).trim();
  if (data.description !== undefined) data.description = clean(data.description, ['description']).trim() || undefined;
  if (data.author !== undefined) data.author = clean(data.author, ['author']).trim() || undefined;
  if (data.tags !== undefined) data.tags = data.tags.map((tag, index) => clean(tag, ['tags', index]).trim()).filter(Boolean);
  if (data.image_alt !== undefined) data.image_alt = clean(data.image_alt, ['image_alt']).trim();
  if (data.cover?.alt !== undefined) data.cover.alt = clean(data.cover.alt, ['cover', 'alt']).trim();
  if (data.title !== '') return true;
  reportError(file, '`title` holds nothing but control characters: write the headline as text', placeOfPath(located, ['title']), 'front-matter-invalid');
  return false;
}
