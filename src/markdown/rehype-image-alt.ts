import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * Makes sure every image has an `alt`: an image without one (possible in raw
 * HTML) gets `alt=""` and a warning at its place, since screen readers
 * otherwise read out the file name and validators reject the page.
 */
export default function rehypeImageAlt() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img' || typeof node.properties.alt === 'string') return;
      node.properties.alt = '';
      file.message('image without alt text: describe it (`![what it shows](path)`), or leave `alt=""` if it is decoration', {
        place: node.position,
        ruleId: 'image-alt',
        source: 'sahifa',
      });
    });
  };
}
