import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { SKIP, visit } from 'unist-util-visit';
import type { ExportContents, ImportedEntry } from './entry.js';
import type { SourceRules } from './plan-import.js';
import { placeOfOffset } from './text-place.js';

/** Statuses imported as `draft: true`; `publish` is published, anything else (trash, auto-draft, inherit) is not imported. */
const DRAFT_STATUSES = new Set(['draft', 'pending', 'private', 'future']);

/** Elements that may appear more than once, read as lists even when there is one. */
const LISTS = new Set(['item', 'category', 'wp:postmeta', 'wp:comment', 'wp:author']);

/** WordPress.com / Jetpack blocks that share, subscribe, like or list related posts: the templates add sahifa's own. */
const PLATFORM_BLOCKS = /(?:^|\s)(?:sharedaddy|sd-sharing-enabled|sd-block|sd-social|sd-like|jp-relatedposts|jetpack_subscription_widget|wp-block-jetpack-(?:sharing-buttons|sharing-button|subscriptions|like|related-posts|blog-stats)|wp-block-jetpack-subscriptions__container|jetpack-likes-widget-wrapper)(?:\s|$)/;

type XmlNode = Record<string, unknown>;

/**
 * Reads a WordPress export (WXR: RSS 2.0 with the `wp:`, `content:`,
 * `excerpt:` and `dc:` namespaces): posts and pages with their title, date
 * (`post_date_gmt`, UTC), percent-decoded slug, categories and tags, excerpt,
 * author, featured image (`_thumbnail_id` → the attachment's URL) and
 * status. Comments and attachments are counted.
 *
 * @param text   The export's text.
 * @param source The export's name, for messages (`export.xml:12:3: …`).
 * @throws {Error} one line with the place when the XML is malformed or is no WXR.
 */
export function readWordPress(text: string, source: string): ExportContents {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${source}:${valid.err.line}:${valid.err.col}: malformed XML: ${valid.err.msg}; the export is cut short or was edited by hand — export it again from WordPress (Tools → Export)`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: true, isArray: (name) => LISTS.has(name) });
  let parsed: { rss?: { channel?: XmlNode } };
  try {
    parsed = parser.parse(text) as typeof parsed;
  } catch (error) {
    // Well-formed but refused, e.g. an external entity in a DOCTYPE (never fetched).
    const { line, column } = placeOfOffset(text, Math.max(0, text.indexOf('<!DOCTYPE')));
    throw new Error(`${source}:${line}:${column}: cannot read this XML: ${(error as Error).message}; a WordPress export has no DOCTYPE — export it again`);
  }
  const channel = parsed.rss?.channel;
  if (!channel || typeof channel !== 'object') throw new Error(`${source}:1:1: not a WordPress export: expected <rss><channel> (WXR, from Tools → Export)`);
  const items = (channel.item as XmlNode[] | undefined) ?? [];
  const authors = new Map<string, string>();
  for (const author of (channel['wp:author'] as XmlNode[] | undefined) ?? []) authors.set(str(author['wp:author_login']), str(author['wp:author_display_name']) || str(author['wp:author_login']));
  const attachments = new Map<string, Attachment>();
  for (const item of items) {
    if (str(item['wp:post_type']) !== 'attachment') continue;
    attachments.set(str(item['wp:post_id']), { url: str(item['wp:attachment_url']), alt: postMeta(item).get('_wp_attachment_image_alt')?.trim() || undefined });
  }

  const contents: ExportContents = { entries: [], notImported: { comment: 0, attachment: attachments.size }, warnings: [] };
  if (items.length > 0 && items.every((item) => item['wp:post_type'] === undefined)) throw new Error(`${source}:1:1: this RSS feed is no WordPress export: its items have no <wp:post_type> (export with Tools → Export, not the feed)`);
  for (const item of items) {
    const type = str(item['wp:post_type']);
    const comments = (item['wp:comment'] as unknown[] | undefined)?.length ?? 0;
    contents.notImported.comment = (contents.notImported.comment ?? 0) + comments;
    if (type !== 'post' && type !== 'page') continue;
    const status = str(item['wp:status']);
    if (status !== 'publish' && !DRAFT_STATUSES.has(status)) continue;
    const entry = entryOf(item, type, status, { source, text, authors, attachments });
    for (const name of leftoverShortcodes(entry.html)) {
      contents.warnings.push({ place: entry.place, reason: `shortcode [${name}] has no Markdown form and stays as text in "${entry.title}": replace it by hand` });
    }
    contents.entries.push(entry);
  }
  return contents;
}

/** The source rules of WordPress: its uploads folder in image addresses, its share and subscribe blocks, and its `[caption]` shortcode. */
export function wordPressRules(text: string): SourceRules {
  const base = /<wp:base_blog_url>\s*([^<\s]+)\s*</.exec(text)?.[1];
  return {
    baseUrl: base && /^https?:\/\//.test(base) ? `${base.replace(/\/$/, '')}/` : undefined,
    uploadsPathOf(url) {
      const segments = url.pathname.split('/').slice(1);
      const at = segments.indexOf('uploads');
      if (at > 0 && segments[at - 1] === 'wp-content') return segments.slice(at + 1);
      if (url.hostname.endsWith('.files.wordpress.com')) return segments;
      return undefined;
    },
    prepare: dropPlatformBlocks,
  };
}

/** An uploaded file: its address and, for an image, the alt text WordPress keeps for it. */
interface Attachment {
  url: string;
  alt?: string;
}

interface ItemContext {
  source: string;
  text: string;
  authors: Map<string, string>;
  attachments: Map<string, Attachment>;
}

/** An item's `wp:postmeta` pairs, by key. */
function postMeta(item: XmlNode): Map<string, string> {
  const meta = new Map<string, string>();
  for (const pair of (item['wp:postmeta'] as XmlNode[] | undefined) ?? []) meta.set(str(pair['wp:meta_key']), str(pair['wp:meta_value']));
  return meta;
}

function entryOf(item: XmlNode, type: 'post' | 'page', status: string, context: ItemContext): ImportedEntry {
  const id = str(item['wp:post_id']);
  const offset = context.text.indexOf(`<wp:post_id>${id}</wp:post_id>`);
  const { line, column } = placeOfOffset(context.text, offset === -1 ? 0 : offset);
  const meta = postMeta(item);
  const featured = context.attachments.get(meta.get('_thumbnail_id') ?? '');
  const tags = ((item.category as unknown[] | undefined) ?? [])
    .map((category) => (typeof category === 'object' && category ? (category as XmlNode) : { '#text': category }))
    .filter((category) => ['category', 'post_tag'].includes(str(category['@_domain'])) && str(category['@_nicename']) !== 'uncategorized')
    .map((category) => str(category['#text']));
  const creator = str(item['dc:creator']);
  return {
    kind: type,
    place: `${context.source}:${line}:${column}`,
    title: textOf(str(item.title)),
    date: dateOf(str(item['wp:post_date_gmt']), str(item['wp:post_date'])),
    slug: decodeSlug(str(item['wp:post_name'])),
    html: withParagraphs(captionsAsFigures(str(item['content:encoded']))),
    description: textOf(str(item['excerpt:encoded'])),
    tags,
    image: featured?.url || undefined,
    imageAlt: featured?.alt,
    author: context.authors.get(creator) ?? (creator || undefined),
    draft: status !== 'publish',
    // The permalink, and the guid (`https://…/?p=12`), the two ways other posts link to it.
    addresses: [str(item.link), str(item.guid)].map((address) => address.trim()).filter(Boolean),
  };
}

/** Text of an XML value (CDATA and text alike). */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return str((value as XmlNode)['#text']);
  return '';
}

/** `post_date_gmt` as UTC; a draft's is `0000-00-00 00:00:00`, then the local `post_date` without an offset. */
function dateOf(gmt: string, local: string): string | undefined {
  const form = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;
  const utc = form.exec(gmt.trim());
  if (utc && !gmt.startsWith('0000')) return `${utc[1]}T${utc[2]}Z`;
  const there = form.exec(local.trim());
  return there && !local.startsWith('0000') ? `${there[1]}T${there[2]}` : undefined;
}

/** `post_name` is percent-encoded UTF-8 (`%d8%b3…` for an Arabic slug). */
function decodeSlug(name: string): string {
  try {
    return decodeURIComponent(name.trim());
  } catch {
    return name.trim();
  }
}

/** Plain text of a bit of HTML (an excerpt), read with the HTML parser. */
function textOf(html: string): string {
  return html.trim() ? toText(fromHtml(html, { fragment: true })).replace(/\s+/g, ' ').trim() : '';
}

/** Shortcodes of WordPress and its common plugins, which only a WordPress site can render. */
const SHORTCODES = /\[(gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|tweet|instagram|googlemaps|soundcloud|gist|contact-form(?:-7)?|recipe|slideshow)\b[^\]]*\]/gi;

/** The names of the shortcodes left in a body after `[caption]` was converted, once each. */
function leftoverShortcodes(html: string): string[] {
  return [...new Set([...html.matchAll(SHORTCODES)].map((match) => match[1]!.toLowerCase()))];
}

/**
 * `[caption …]<img …> The caption[/caption]` → a `<figure>` with a
 * `<figcaption>`. Shortcodes are WordPress's text syntax, not HTML, so they
 * are found as text; the HTML inside is left to the parser.
 */
function captionsAsFigures(html: string): string {
  return html.replace(/\[caption\b([^\]]*)\]([\s\S]*?)\[\/caption\]/g, (_all, attributes: string, inner: string) => {
    const fromAttribute = /\bcaption="([^"]*)"/.exec(attributes)?.[1];
    const split = /^([\s\S]*(?:<img\b[^>]*>|<\/a>))([\s\S]*)$/i.exec(inner.trim());
    const image = split ? split[1] : inner;
    const caption = fromAttribute ?? (split ? split[2] : '');
    return `<figure>${image}${caption?.trim() ? `<figcaption>${caption.trim()}</figcaption>` : ''}</figure>`;
  });
}

/** Block elements, which end a paragraph where they start and where they end (as in WordPress's wpautop). */
const BLOCKS = 'h[1-6]|ul|ol|dl|blockquote|figure|table|div|pre|hr|section|address|iframe|script|style';
const BLOCK_OPEN = new RegExp(`(<(?:${BLOCKS})\\b[^>]*>)`, 'gi');
const BLOCK_CLOSE = new RegExp(`(</(?:${BLOCKS})>)`, 'gi');

/**
 * WordPress stores classic-editor posts without `<p>`: it adds them when it
 * shows the post (wpautop). Blank lines part paragraphs, and a single line
 * break inside one is a `<br>`. Block-editor posts already have their `<p>`.
 */
function withParagraphs(html: string): string {
  if (/<p[\s>]/i.test(html) || !html.includes('\n')) return html;
  return html
    .replace(BLOCK_OPEN, '\n\n$1')
    .replace(BLOCK_CLOSE, '$1\n\n')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => (new RegExp(`^</?(?:${BLOCKS})\\b`, 'i').test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br>\n')}</p>`))
    .join('\n');
}

/** Removes the share, like, related-posts and subscribe blocks of WordPress.com and Jetpack. */
function dropPlatformBlocks(tree: Root): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    const className = node.properties.className;
    const classes = Array.isArray(className) ? className.join(' ') : typeof className === 'string' ? className : '';
    if (!parent || index === undefined || !PLATFORM_BLOCKS.test(classes)) return undefined;
    parent.children.splice(index, 1);
    return [SKIP, index];
  });
}
