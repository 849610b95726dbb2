import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeExternalLinks from 'rehype-external-links';
import rehypeRaw from 'rehype-raw';
import rehypeSlug from 'rehype-slug';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import type { VFile } from 'vfile';
import type { Direction } from '../config/direction.js';
import type { LocaleStrings } from '../config/locales.js';
import rehypeBidi from './bidi/rehype-bidi.js';
import rehypeImageAlt from './rehype-image-alt.js';
import rehypePrefixIds from './rehype-prefix-ids.js';
import rehypeTextControls from './rehype-text-controls.js';
import rehypeSanitizeReported from './rehype-sanitize-reported.js';
import { sanitizeSchema } from './sanitize-schema.js';

/** What the Markdown → hast transformation depends on. */
export interface MarkdownOptions {
  /** Direction of the post. */
  dir: Direction;
  /** Strings of the post's language (footnote labels). */
  strings: Pick<LocaleStrings, 'footnotes' | 'backToReference'>;
  /** The site's address: links elsewhere get `rel="noopener noreferrer"`. */
  siteUrl: string;
}

/** The processor {@link createMarkdownProcessor} returns. */
export type MarkdownProcessor = Processor<MdastRoot, MdastRoot, HastRoot>;

/**
 * The one unified processor of a post: remark-parse with front matter and
 * GFM, then remark-rehype, raw HTML parsed and sanitised, heading ids (after
 * sanitising), every id and name given the `user-content-` prefix once (with
 * in-post `#links` to match), external links marked, images given alt text,
 * and directions decided.
 *
 * @param options Direction, language strings and site address.
 */
export function createMarkdownProcessor(options: MarkdownOptions): MarkdownProcessor {
  const siteHost = new URL(options.siteUrl).host;
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      footnoteLabel: options.strings.footnotes,
      footnoteBackLabel: options.strings.backToReference,
      footnoteLabelTagName: 'h2',
      // rehypePrefixIds prefixes every id once, footnotes included.
      clobberPrefix: '',
    })
    .use(rehypeRaw)
    .use(rehypeSanitizeReported, sanitizeSchema)
    .use(rehypeTextControls)
    .use(rehypeSlug)
    .use(rehypePrefixIds)
    .use(rehypeExternalLinks, {
      rel: ['noopener', 'noreferrer'],
      protocols: ['http', 'https'],
      test: (element) => isOffSite(element.properties.href, siteHost),
    })
    .use(rehypeImageAlt)
    .use(rehypeBidi, { dir: options.dir });
}

function isOffSite(href: unknown, siteHost: string): boolean {
  if (typeof href !== 'string' || !/^https?:\/\//i.test(href)) return false;
  try {
    return new URL(href).host !== siteHost;
  } catch {
    return true;
  }
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

/**
 * Parses a post's Markdown into mdast, front matter included as a `yaml`
 * node. Parsing does not depend on the post's language, so it happens once,
 * before the front matter says which processor transforms the tree.
 *
 * @param file The post.
 */
export function parseMarkdown(file: VFile): MdastRoot {
  return parser.parse(file);
}
