import type { Element, Properties, Root } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** Elements whose removal is about safety, with the message writers already know. */
const UNSAFE_ELEMENTS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base']);

const SCRIPT_URL = /^\s*(?:javascript|vbscript|data\s*:\s*text\/html)/i;
const SCHEME = /^([a-z][a-z\d+.-]*):/i;

/** An element as it was before sanitising, by its place in the post. */
interface Seen {
  node: Element;
  properties: Properties;
}

/**
 * rehype-sanitize with a warning, at its line and column, for everything it
 * drops: an element (`<figure>`, an unknown tag), an attribute (`class`,
 * `style`, `on*`), a URL (`javascript:`, a relative link holding `:`), so a
 * writer learns why part of a post went missing. Before sanitising, the
 * scheme of an allowed URL is lower-cased (`MAILTO:` is `mailto:`; schemes
 * are case-insensitive).
 *
 * @param schema The sanitising rules.
 */
export default function rehypeSanitizeReported(schema: Schema) {
  return (tree: Root, file: VFile): Root => {
    lowerCaseSchemes(tree, schema);
    const before = elementsByPlace(tree, true);
    const clean = sanitize(tree, schema) as Root;
    const after = elementsByPlace(clean, false);
    const strip = new Set(schema.strip ?? []);
    const removedWithContent: Element[] = [];
    for (const [key, seen] of before) {
      if (removedWithContent.some((outer) => contains(outer, seen.node))) continue;
      const kept = after.get(key);
      if (!kept) {
        if (strip.has(seen.node.tagName)) removedWithContent.push(seen.node);
        reportElement(file, seen.node, strip.has(seen.node.tagName));
        continue;
      }
      reportProperties(file, seen, kept.node.properties, new Set(Object.keys(schema.protocols ?? {})));
    }
    return clean;
  };
}

function lowerCaseSchemes(tree: Root, schema: Schema): void {
  const protocols = schema.protocols ?? {};
  visit(tree, 'element', (node: Element) => {
    for (const [key, allowed] of Object.entries(protocols)) {
      const value = node.properties[key];
      if (typeof value !== 'string') continue;
      const trimmed = value.trim();
      const scheme = SCHEME.exec(trimmed)?.[1];
      if (scheme && scheme !== scheme.toLowerCase() && allowed?.includes(scheme.toLowerCase())) {
        node.properties[key] = scheme.toLowerCase() + trimmed.slice(scheme.length);
      }
    }
  });
}

function elementsByPlace(tree: Root, copy: boolean): Map<string, Seen> {
  const found = new Map<string, Seen>();
  visit(tree, 'element', (node: Element) => {
    const start = node.position?.start;
    const end = node.position?.end;
    if (!start || !end) return;
    const key = `${start.offset ?? `${start.line}:${start.column}`}-${end.offset ?? `${end.line}:${end.column}`}-${node.tagName}`;
    if (!found.has(key)) found.set(key, { node, properties: copy ? { ...node.properties } : node.properties });
  });
  return found;
}

function contains(outer: Element, inner: Element): boolean {
  const a = outer.position;
  const b = inner.position;
  return a !== undefined && b !== undefined && outer !== inner && (a.start.offset ?? 0) <= (b.start.offset ?? 0) && (b.end.offset ?? 0) <= (a.end.offset ?? 0);
}

function warn(file: VFile, node: Element, reason: string, ruleId: string): void {
  file.message(reason, { place: node.position, ruleId, source: 'sahifa' });
}

function reportElement(file: VFile, node: Element, withContent: boolean): void {
  if (UNSAFE_ELEMENTS.has(node.tagName)) {
    warn(file, node, `raw \`<${node.tagName}>\` removed: posts may not carry scripts, styles, frames or forms`, 'unsafe-html');
    return;
  }
  const what = withContent ? 'removed with its content' : 'removed (its content is kept)';
  warn(file, node, `raw \`<${node.tagName}>\` is not allowed in posts and was ${what}: use Markdown or an allowed element`, 'html-removed');
}

function reportProperties(file: VFile, seen: Seen, kept: Properties, urlProperties: ReadonlySet<string>): void {
  const tag = seen.node.tagName;
  for (const [key, value] of Object.entries(seen.properties)) {
    if (value === undefined || value === null || value === false) continue;
    const attribute = attributeName(key);
    const now = kept[key];
    if (/^on/i.test(key)) {
      warn(file, seen.node, `event handler \`${key.toLowerCase()}\` removed from \`<${tag}>\`: posts may not run scripts`, 'unsafe-html');
    } else if (now === undefined || now === null) {
      if (typeof value === 'string' && SCRIPT_URL.test(value)) {
        warn(file, seen.node, `script URL removed from \`<${tag} ${attribute}>\`: use an http(s) link`, 'unsafe-html');
      } else if (typeof value === 'string' && urlProperties.has(key) && SCHEME.test(value.trim())) {
        const scheme = SCHEME.exec(value.trim())?.[1] ?? '';
        const relative = value.trim().slice(scheme.length + 1).startsWith('//') ? '' : `; for a relative path holding ":", write "./${value.trim()}"`;
        warn(file, seen.node, `\`${value}\` removed from \`<${tag} ${attribute}>\`: the scheme "${scheme}:" is not allowed (http, https, mailto…)${relative}`, 'html-removed');
      } else {
        warn(file, seen.node, `attribute \`${attribute}\` removed from \`<${tag}>\`: posts may not set it`, 'html-removed');
      }
    } else if (Array.isArray(value) && Array.isArray(now) && now.length < value.length) {
      const dropped = value.filter((item) => !now.includes(item));
      warn(file, seen.node, `${attribute} \`${dropped.join(' ')}\` removed from \`<${tag}>\`: posts may not set it`, 'html-removed');
    }
  }
}

/** The HTML name of a hast property (`className` → `class`, `ariaLabel` → `aria-label`). */
function attributeName(key: string): string {
  if (key === 'className') return 'class';
  if (key === 'htmlFor') return 'for';
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`).replace(/^(aria|data)-?/, '$1-').toLowerCase();
}
