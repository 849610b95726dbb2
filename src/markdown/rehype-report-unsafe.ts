import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** Elements that sanitising removes with everything inside them. */
const DROPPED = new Set(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base']);

/** URL attributes checked for `javascript:` and other script-running schemes. */
const URL_PROPERTIES = ['href', 'src', 'action', 'formAction', 'poster', 'cite'] as const;

const SCRIPT_URL = /^\s*(?:javascript|vbscript|data\s*:\s*text\/html)/i;

/**
 * Warns, at its line and column, about raw HTML in a post that sanitising is
 * about to remove (scripts, styles, frames, forms, `on*` handlers,
 * `javascript:` URLs), so a writer learns why part of a post went missing.
 * It changes nothing; rehype-sanitize, which runs next, does the cleaning.
 */
export default function rehypeReportUnsafe() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node: Element) => {
      const place = node.position;
      if (DROPPED.has(node.tagName)) {
        file.message(`raw \`<${node.tagName}>\` removed: posts may not carry scripts, styles, frames or forms`, { place, ruleId: 'unsafe-html', source: 'sahifa' });
        return 'skip';
      }
      for (const key of Object.keys(node.properties)) {
        if (/^on/i.test(key)) {
          file.message(`event handler \`${key.toLowerCase()}\` removed from \`<${node.tagName}>\`: posts may not run scripts`, { place, ruleId: 'unsafe-html', source: 'sahifa' });
        }
      }
      for (const key of URL_PROPERTIES) {
        const value = node.properties[key];
        if (typeof value === 'string' && SCRIPT_URL.test(value)) {
          file.message(`script URL removed from \`<${node.tagName} ${key.toLowerCase()}>\`: use an http(s) link`, { place, ruleId: 'unsafe-html', source: 'sahifa' });
        }
      }
      return undefined;
    });
  };
}
