import type { Element, Root, RootContent } from 'hast';
import type { Direction } from '../config/direction.js';

/** True for the `<sup>` remark-rehype writes around a footnote reference. */
export function isFootnoteRef(node: Element): boolean {
  return node.tagName === 'sup' && node.children.some((child) => child.type === 'element' && child.tagName === 'a' && child.properties.dataFootnoteRef !== undefined);
}

/**
 * A copy of a post's body in which every footnote reference carries the
 * direction of the block it is in, as `<sup dir>`. An element with `dir` is
 * a bidi isolate, so the reference's digit no longer joins the number or
 * Latin word before it into one left-to-right run: `عام 2015[^1]` draws ¹
 * after 2015 (to its left in Arabic), not before it; the same for an Arabic
 * word before a reference in an English post. The tree given is left as it
 * was.
 *
 * @param tree The post's body.
 * @param dir  The post's direction (blocks may declare their own).
 */
export function isolateFootnoteRefs(tree: Root, dir: Direction): Root {
  const visit = <Node extends Root | RootContent>(node: Node, around: Direction): Node => {
    if (node.type !== 'element' && node.type !== 'root') return node;
    if (node.type === 'element' && isFootnoteRef(node)) return { ...node, properties: { ...node.properties, dir: around } };
    const own = node.type === 'element' && (node.properties.dir === 'rtl' || node.properties.dir === 'ltr') ? node.properties.dir : around;
    return { ...node, children: (node.children as RootContent[]).map((child) => visit(child, own)) } as Node;
  };
  return visit(tree, dir);
}
