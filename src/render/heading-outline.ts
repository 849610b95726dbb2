import type { Element, Root, RootContent } from 'hast';

const HEADING = /^h([1-6])$/;

/**
 * A copy of a post's body whose headings nest under the page's `<h1>` (the
 * post's title) without skipping a level: the body's highest heading becomes
 * `<h2>`, and each deeper one is one level below the heading it follows
 * (`# A` `### B` `## C` → h2, h3, h2). Writers number headings freely (a
 * WordPress export starts at h1 or h3); validators and screen readers need an
 * outline. The tree given is left as it was: the email and feeds share it.
 *
 * @param tree The post's sanitised body.
 */
export function outlineHeadings(tree: Root): Root {
  const open: Array<{ written: number; level: number }> = [];
  const visit = <Node extends Root | RootContent>(node: Node): Node => {
    if (node.type !== 'element' && node.type !== 'root') return node;
    const match = node.type === 'element' ? HEADING.exec(node.tagName) : null;
    let tagName = node.type === 'element' ? node.tagName : undefined;
    if (match) {
      const written = Number(match[1]);
      while (open.length && open.at(-1)!.written >= written) open.pop();
      const level = Math.min(6, (open.at(-1)?.level ?? 1) + 1);
      open.push({ written, level });
      tagName = `h${level}`;
    }
    const children = (node.children as RootContent[]).map(visit);
    return (node.type === 'element' ? { ...node, tagName, children: children as Element['children'] } : { ...node, children }) as Node;
  };
  return visit(tree);
}
