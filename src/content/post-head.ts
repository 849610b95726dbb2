import type { Root as MdastRoot } from 'mdast';
import { VFile } from 'vfile';
import { hasFatal } from '../diagnostics/build-failure.js';
import { findPostFiles, postFolders, readPostFile } from './find-posts.js';
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import { decideSlug } from './slug-choice.js';

/** A post read only as far as its front matter: what finding a post by its slug needs, without its body. */
export interface PostHead {
  /** The post's file, whole. */
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
      // Messages go to a file of their own: nothing here reports them.
      const head = new VFile({ path: file.path, value: file.value });
      const frontMatter = readFrontMatter(frontMatterTree(String(file.value ?? '')), head);
      const slug = frontMatter && decideSlug(head, frontMatter);
      return frontMatter && slug ? { file, meta: frontMatter.data, slug } : undefined;
    }),
  );
  return heads.filter((head): head is PostHead => head !== undefined);
}

/**
 * The front matter of a post as remark-frontmatter gives it, a `yaml` node
 * with its place, in an otherwise empty tree (none when the post has no
 * front matter): a `---` line first, then the next `---` line, each fence
 * followed by nothing but spaces or tabs; the value is what lies between
 * them. Written here because remark builds a whole Markdown parser for each
 * call, about 300 µs a post, for a rule of two lines (`test/content/post-head.test.ts`
 * compares it with remark on many shapes).
 *
 * @param source The post's text.
 */
export function frontMatterTree(source: string): MdastRoot {
  // As micromark does, a byte-order mark is not part of the text (places are counted after it).
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const opening = /^---[ \t]*(\r?\n)/.exec(text);
  const closing = opening && /^---[ \t]*(?=\r?$)/m.exec(text.slice(opening[0].length));
  if (!opening || !closing) return { type: 'root', children: [] };
  const start = opening[0].length;
  const end = start + closing.index + closing[0].length;
  // The value stops before the line ending that precedes the closing fence (there is none when the block is empty).
  const value = closing.index === 0 ? '' : text.slice(start, start + closing.index).replace(/\r?\n$/, '');
  const line = text.slice(0, end).split('\n').length;
  const column = end - (text.lastIndexOf('\n', end - 1) + 1) + 1;
  return {
    type: 'root',
    children: [{ type: 'yaml', value, position: { start: { line: 1, column: 1, offset: 0 }, end: { line, column, offset: end } } }],
  };
}
