import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { SKIP, visit } from 'unist-util-visit';
import type { Pictures, ResponsiveImage } from '../../images/responsive-image.js';
import { copyTree } from '../shared/copy-tree.js';

/** How wide an image is shown: the full column (42rem, `--measure` in style.css) or the whole screen below it. */
export const PAGE_IMAGE_SIZES = '(min-width: 44rem) 42rem, 100vw';

/**
 * A copy of a body in which each processed image is a `<picture>`: AVIF and
 * WebP `<source>`s with `srcset` and `sizes`, around the `<img>` with the
 * fallback's `srcset`, `width` and `height`. With `firstOnScreen` (a page
 * without a cover) the first image loads at once with high priority; the
 * others load lazily.
 *
 * @param tree          The body (not changed).
 * @param pictures      The processed images by their `src`.
 * @param firstOnScreen Whether the first image is likely on the first screen.
 */
export function withPictures(tree: Root, pictures: Pictures | undefined, firstOnScreen: boolean): Root {
  const copy = copyTree(tree);
  let first = firstOnScreen;
  visit(copy, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'img') return undefined;
    if (first) {
      first = false;
      onFirstScreen(node);
    }
    const picture = pictures?.get(String(node.properties.src));
    if (!picture || !parent || index === undefined) return undefined;
    parent.children[index] = pictureElement(node, picture);
    return SKIP;
  });
  return copy;
}

/**
 * The cover as HTML: a `<picture>` for a processed image, loaded at once with
 * high priority (it is the first thing on the screen).
 *
 * @param src      The cover's address relative to the page.
 * @param alt      Its alt text (`""` when none was given).
 * @param pictures The post's processed images.
 */
export function coverHtml(src: string, alt: string, pictures: Pictures | undefined): string {
  // data-pagefind-meta: the search index (src/search/) takes the result's image from the cover.
  const img: Element = { type: 'element', tagName: 'img', properties: { className: ['cover'], src, alt, decoding: 'async', dataPagefindMeta: 'image[src]' }, children: [] };
  onFirstScreen(img);
  const picture = pictures?.get(src);
  return toHtml(picture ? pictureElement(img, picture) : img);
}

function onFirstScreen(img: Element): void {
  delete img.properties.loading;
  img.properties.fetchpriority = 'high';
}

function pictureElement(img: Element, picture: ResponsiveImage): Element {
  const sources: ElementContent[] = picture.sources.map((source) => ({
    type: 'element',
    tagName: 'source',
    properties: { type: source.type, srcSet: source.srcset, sizes: PAGE_IMAGE_SIZES },
    children: [],
  }));
  const fallback: Element = {
    ...img,
    properties: { ...img.properties, srcSet: picture.srcset, sizes: PAGE_IMAGE_SIZES, width: picture.width, height: picture.height },
  };
  return { type: 'element', tagName: 'picture', properties: {}, children: [...sources, fallback] };
}
