import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import { hasFatal } from '../diagnostics/build-failure.js';
import { findPostFiles, postFolders, readPostFile } from './find-posts.js';
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import { decideSlug } from './slug-choice.js';

/** A post read only as far as its front matter: what finding a post by its slug needs, without its body. */
export interface PostHead {
  /** The post's file, whole, with the messages its front matter gave. */
  file: VFile;
  /** Its front matter. */
  meta: FrontMatter;
  /** Its slug, as a build decides it. */
  slug: string;
}

/**
 * Reads every post of the site (drafts included) as far as its front
 * matter, with the same rules as a build: the same YAML and field checks,
 * the same slug. A post whose file or front matter has a fatal problem is
 * left out (a build reports it). The body is never parsed, so finding one
 * post among thousands costs the front matters, not the Markdown: 13.7 s
 * → 1.6–1.9 s for `sahifa send` on a site of 4,000 posts, measured.
 *
 * @param root The site root.
 */
export async function loadPostHeads(root: string): Promise<PostHead[]> {
  const paths = await findPostFiles(root);
  if (paths.length === 0) return [];
  const folders = postFolders(root);
  const heads = await Promise.all(
    paths.map(async (path): Promise<PostHead | undefined> => {
      const file = await readPostFile(path, root, folders);
      if (hasFatal(file.messages)) return undefined;
      const frontMatter = readFrontMatter(frontMatterTree(String(file.value ?? '')), file);
      const slug = frontMatter && decideSlug(file, frontMatter);
      return frontMatter && slug ? { file, meta: frontMatter.data, slug } : undefined;
    }),
  );
  return heads.filter((head): head is PostHead => head !== undefined);
}

/** One line and its ending, as micromark splits lines: `\r\n`, `\r` or `\n` (not U+2028 nor U+2029), or none at the end. */
const LINE = /([^\r\n]*)(\r\n|\r|\n|$)/y;
/** A fence line: three dashes, then nothing but spaces or tabs. */
const FENCE = /^---[ \t]*$/;

/**
 * The front matter of a post as remark-frontmatter gives it, a `yaml` node
 * with its place, in an otherwise empty tree (none when the post has no
 * front matter): a `---` line first, then the next `---` line, each fence
 * followed by nothing but spaces or tabs; the value is what lies between
 * them, without the line ending before the closing fence. Lines end as
 * micromark ends them, a byte-order mark is skipped and NUL reads as U+FFFD,
 * as micromark's preprocessing does. Written here because remark builds a
 * whole Markdown parser for each call, about 300 µs a post, for this rule
 * (`test/content/post-head.test.ts` compares the two on fixed shapes, every
 * fixture post and random texts).
 *
 * @param source The post's text.
 */
export function frontMatterTree(source: string): MdastRoot {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const none: MdastRoot = { type: 'root', children: [] };
  LINE.lastIndex = 0;
  const first = LINE.exec(text);
  if (!first || !FENCE.test(first[1]!) || first[2] === '') return none;
  const valueStart = LINE.lastIndex;
  // Where the line before the current one ended its text (the value stops there), and the current line's number.
  let previousEnd = valueStart;
  for (let line = 2; LINE.lastIndex < text.length; line += 1) {
    const lineStart = LINE.lastIndex;
    const match = LINE.exec(text)!;
    if (FENCE.test(match[1]!)) {
      const end = lineStart + match[1]!.length;
      const value = line === 2 ? '' : text.slice(valueStart, previousEnd).replaceAll('\0', '\uFFFD');
      return { type: 'root', children: [{ type: 'yaml', value, position: { start: { line: 1, column: 1, offset: 0 }, end: { line, column: match[1]!.length + 1, offset: end } } }] };
    }
    previousEnd = lineStart + match[1]!.length;
    if (match[2] === '') break;
  }
  return none;
}
