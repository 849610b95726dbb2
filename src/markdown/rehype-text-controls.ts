import type { Root, Text } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { withoutOverrides, xmlSafe } from '../content/plain-text.js';

/**
 * Removes from the body's text what no output can carry safely: characters
 * XML 1.0 forbids (U+000B from Word, U+0001…), which would make the feeds
 * invalid, and bidi embeddings and overrides (U+202A–E), which would spoof
 * the text around them in the plain-text email and the feeds. The first
 * place is reported once per post as a warning.
 */
export default function rehypeTextControls() {
  return (tree: Root, file: VFile) => {
    let reported = false;
    visit(tree, 'text', (node: Text) => {
      // Isolates are left alone: a pair may span several text nodes, and the block closes them anyway.
      const cleaned = withoutOverrides(xmlSafe(node.value));
      if (cleaned === node.value) return;
      node.value = cleaned;
      if (reported) return;
      reported = true;
      file.message('control or bidi override characters (from a word processor, or a spoof) were removed from the text', {
        place: node.position,
        ruleId: 'text-controls',
        source: 'sahifa',
      });
    });
  };
}
