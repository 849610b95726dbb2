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

const pageValidator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/**
 * html-validate's recommended rules, less those that email HTML breaks on
 * purpose, each for a reason:
 */
const emailValidator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Styles must be inline: Gmail and many webmail clients drop <style> blocks.
    'no-inline-style': 'off',
    // Outlook for Windows renders with Word and reads only `<!--[if mso]>` blocks for its layout.
    'no-conditional-comment': 'off',
    // align, bgcolor, width, cellpadding on tables are what Outlook and old clients obey.
    'no-deprecated-attr': 'off',
    // MJML writes `<!doctype html>` in lower case; both are valid HTML.
    'doctype-style': 'off',
    // MJML indents its output with whitespace-only lines; harmless to the reader.
    'no-trailing-whitespace': 'off',
    // mj-body's wrapper is <div role="article">: mail clients strip or restyle <article>.
    'prefer-native-element': ['error', { exclude: ['article'] }],
  },
});

/**
 * Validates a document with html-validate's recommended rules (or the email
 * set above) and returns the problems as `name:line:col rule message`
 * strings (none when valid).
 */
export async function htmlProblems(html: string, name: string, kind: 'page' | 'email' = 'page'): Promise<string[]> {
  const validator = kind === 'page' ? pageValidator : emailValidator;
  const report = await validator.validateString(html, name);
  return report.results.flatMap((result) => result.messages.map((message) => `${name}:${message.line}:${message.column} ${message.ruleId} ${message.message}`));
}
