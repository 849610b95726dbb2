import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { HtmlValidate } from 'html-validate';
import { visit } from 'unist-util-visit';

/** Parses a whole HTML document. */
export function parseHtml(html: string): Root {
  return fromHtml(html);
}

/** Every element of `tree` matching `test`, in document order. */
export function findAll(tree: Root | Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

/** Elements carrying `className`. */
export function byClass(tree: Root | Element, className: string): Element[] {
  return findAll(tree, (element) => Array.isArray(element.properties.className) && element.properties.className.includes(className));
}

/** The text of an element, as a reader sees it. */
export function textOf(node: Root | Element): string {
  return toText(node).trim();
}

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/**
 * Validates a document with html-validate's recommended rules and returns
 * the problems as `line:col rule message` strings (none when valid).
 */
export async function htmlProblems(html: string, name: string): Promise<string[]> {
  const report = await validator.validateString(html, name);
  return report.results.flatMap((result) => result.messages.map((message) => `${name}:${message.line}:${message.column} ${message.ruleId} ${message.message}`));
}
