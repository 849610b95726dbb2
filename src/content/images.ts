import type { Element, Root } from 'hast';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { containedPath } from './contained-path.js';
import { checkImage } from './image-type.js';

/** Folder under `dist/blog/` that a post's local images are copied to, by their path under `posts/`. */
export const MEDIA_DIR = 'media';

/** A local image a post uses. */
export interface MediaFile {
  /** Absolute path of the source file. */
  source: string;
  /** Path under `dist/blog/`, e.g. `media/assets/map.png`. */
  output: string;
  /** The bytes, read once and checked to be an image (what is checked is what is copied). */
  content: Uint8Array;
  /** Where the post first uses it, for errors found later (an image sharp cannot decode). */
  place?: Place;
}

/** What {@link resolveImages} found. */
export interface ResolvedImages {
  /** Local images to copy into the output. */
  media: MediaFile[];
  /** The cover's address relative to the post's page, when the cover is a local file. */
  cover?: string;
}

/** True for an address with a scheme or `//`: it points elsewhere and is left alone. */
function isRemote(src: string): boolean {
  return /^(?:[a-z][a-z\d+.-]*:|\/\/)/i.test(src);
}

/** True for an image on another web site (`https:`, `http:`, `//`): left as it is, with a warning. */
function isOtherSite(src: string): boolean {
  return /^(?:https?:)?\/\//i.test(src);
}

/**
 * Warns about an image on another site: it is not sized, converted or
 * stripped, readers' browsers ask that site for it, and it breaks when that
 * site moves it. Nothing is fetched at build time.
 */
function warnRemote(file: VFile, src: string, place: Place | undefined, what: string): void {
  file.message(`${what} \`${terminalSafe(src)}\` is on another site and is left as it is (not resized, no width and height, its metadata kept): download it into posts/assets/ and use its path, e.g. \`assets/photo.jpg\``, {
    place,
    ruleId: 'image-remote',
    source: 'sahifa',
  });
}

/**
 * Finds the local images of a post (in `<img src>` and the cover), checks
 * that each exists inside `posts/`, and rewrites the tree: the address
 * becomes relative to the post's page (`../media/…`), and the image gets
 * `width`, `height` (so the page does not jump as it loads),
 * `loading="lazy"` and `decoding="async"`. A missing image, or one outside
 * `posts/`, is an error at its line; an image on another site is a warning
 * (it is left as it is). The build's image step (src/images/) then turns
 * the local ones into their processed files.
 *
 * @param tree       The post's body; changed in place.
 * @param file       The post; errors are recorded here.
 * @param postsDir   Absolute path of `posts/`.
 * @param cover      The front-matter `image`, with its place.
 */
export async function resolveImages(tree: Root, file: VFile, postsDir: string, cover?: { value: string; place: Place }): Promise<ResolvedImages> {
  const media = new Map<string, MediaFile>();
  const images: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'img') images.push(node);
  });
  for (const image of images) {
    image.properties.loading = 'lazy';
    image.properties.decoding = 'async';
    const src = image.properties.src;
    const start = image.position?.start;
    const place = start ? { line: start.line, column: start.column } : undefined;
    if (typeof src === 'string' && isOtherSite(src)) warnRemote(file, src, place, 'image');
    if (typeof src !== 'string' || isRemote(src) || src.startsWith('/')) continue;
    const found = await localImage(src, file, postsDir, place);
    if (!found) continue;
    media.set(found.file.output, found.file);
    image.properties.src = `../${found.file.output}`;
    if (found.size) {
      image.properties.width = found.size.width;
      image.properties.height = found.size.height;
    }
  }
  let coverSrc: string | undefined;
  if (cover && isOtherSite(cover.value)) warnRemote(file, cover.value, cover.place, 'the cover image');
  if (cover && !isRemote(cover.value) && !cover.value.startsWith('/')) {
    const found = await localImage(cover.value, file, postsDir, cover.place);
    if (found) {
      media.set(found.file.output, found.file);
      coverSrc = `../${found.file.output}`;
    }
  }
  return { media: [...media.values()], cover: coverSrc };
}

async function localImage(src: string, file: VFile, postsDir: string, place: Place | undefined): Promise<{ file: MediaFile; size: { width: number; height: number } } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURI(src.split(/[?#]/)[0] ?? src);
  } catch {
    decoded = src;
  }
  const source = resolve(dirname(file.path), decoded);
  const shown = terminalSafe(src);
  if (!source.startsWith(postsDir + sep)) {
    reportError(file, `image \`${shown}\` is outside the posts folder: keep images in posts/ (beside the post, or in posts/assets/)`, place, 'image-outside');
    return undefined;
  }
  const where = await containedPath(source, postsDir);
  if (where.kind === 'missing') {
    reportError(file, `image not found: \`${shown}\` (looked for ${relative(dirname(postsDir), source).split(sep).join('/')}); check the path, which is relative to the post`, place, 'image-missing');
    return undefined;
  }
  if (where.kind === 'outside') {
    reportError(file, `image \`${shown}\` is a symbolic link that leads out of the posts folder: copy the image into posts/ instead of linking to it`, place, 'image-link-outside');
    return undefined;
  }
  let content: Buffer;
  try {
    content = await readFile(where.real);
  } catch (error) {
    reportError(file, `cannot read image \`${shown}\` (${(error as NodeJS.ErrnoException).code ?? String(error)}): check that it is a readable file`, place, 'image-missing');
    return undefined;
  }
  const output = `${MEDIA_DIR}/${relative(postsDir, source).split(sep).join('/')}`;
  const checked = checkImage(content, output);
  if ('problem' in checked) {
    reportError(file, `\`${shown}\` ${checked.problem}`, place, checked.ruleId);
    return undefined;
  }
  return { file: { source: where.real, output, content, place }, size: checked };
}
