import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { EMAIL_SHOWN_WIDTH } from '../../images/options.js';
import { copyTree } from '../shared/copy-tree.js';
import type { Pictures } from '../../images/responsive-image.js';

/** An image as an email shows it: its file and the size it is shown at. */
export interface EmailImage {
  src: string;
  /** At most {@link EMAIL_SHOWN_WIDTH}; the file is up to twice as wide, for sharp screens. */
  width?: number;
  height?: number;
}

/**
 * The email's version of an image: the one JPEG or PNG made for email when
 * the image was processed, shown at most 600 pixels wide; any other image as
 * it is, its shown size capped the same way (Outlook ignores `max-width`).
 *
 * @param src      The image's `src` in the tree.
 * @param pictures The post's processed images.
 * @param size     The size the tree gives it, if any.
 */
export function emailImage(src: string, pictures: Pictures | undefined, size?: { width?: unknown; height?: unknown }): EmailImage {
  const picture = pictures?.get(src);
  const file = picture ? { src: picture.email.src, width: picture.email.width, height: picture.email.height } : { src, width: size?.width, height: size?.height };
  if (typeof file.width !== 'number' || typeof file.height !== 'number' || file.width <= 0) return { src: file.src };
  const width = Math.min(file.width, EMAIL_SHOWN_WIDTH);
  return { src: file.src, width, height: Math.round((file.height * width) / file.width) };
}

/**
 * A copy of the body whose images are their email versions ({@link emailImage}),
 * with `width` and `height` of the shown size and no lazy loading (mail
 * clients load everything at once, and some drop unknown attributes badly).
 *
 * @param tree     The post's body (not changed).
 * @param pictures The post's processed images.
 */
export function withEmailImages(tree: Root, pictures: Pictures | undefined): Root {
  const copy = copyTree(tree);
  visit(copy, 'element', (node: Element) => {
    if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
    const image = emailImage(node.properties.src, pictures, node.properties);
    node.properties.src = image.src;
    node.properties.width = image.width;
    node.properties.height = image.height;
    delete node.properties.loading;
    delete node.properties.decoding;
  });
  return copy;
}
