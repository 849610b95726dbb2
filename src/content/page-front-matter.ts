import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import type { z } from 'zod';
import { frontMatterSchema, readFrontMatterOf, type FrontMatterKind, type Located } from './front-matter.js';

/**
 * The front-matter fields a page may have (documented in the README under
 * "Pages"): the post's own rules for the fields both have, and a date that
 * is optional (when the page was last updated).
 */
export const pageFrontMatterSchema = frontMatterSchema
  .pick({ title: true, slug: true, description: true, lang: true, dir: true, draft: true })
  .extend({ date: frontMatterSchema.shape.date.optional() });

/** A page's front matter after validation. */
export type PageFrontMatter = z.output<typeof pageFrontMatterSchema>;

/** Validated page front matter, and where each field is in the page. */
export type LocatedPageFrontMatter = Located<PageFrontMatter>;

const PAGE_KIND: FrontMatterKind<typeof pageFrontMatterSchema> = { schema: pageFrontMatterSchema, noun: 'page', required: '`title:`' };

/**
 * Reads and validates the YAML front matter of a parsed page by the posts'
 * rules (see {@link readFrontMatterOf}), recording every problem on `file`.
 *
 * @param tree The page's mdast, parsed with remark-frontmatter.
 * @param file The page's file; messages go here.
 * @returns The front matter, or `undefined` when it is missing or invalid.
 */
export function readPageFrontMatter(tree: MdastRoot, file: VFile): LocatedPageFrontMatter | undefined {
  return readFrontMatterOf(PAGE_KIND, tree, file);
}
