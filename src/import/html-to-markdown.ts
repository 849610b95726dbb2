import type { Element, Root } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { SKIP, visit } from 'unist-util-visit';

/** What {@link htmlToMarkdown} may do besides converting. */
export interface HtmlToMarkdownOptions {
  /** Source-specific clean-up of the parsed HTML (drop a platform's own blocks…), run before the conversion. */
  prepare?: (tree: Root) => void;
  /** The address a Markdown image should have, given the one in the HTML; `undefined` drops the image. */
  image?: (src: string) => string | undefined | Promise<string | undefined>;
  /** The address a link should have, given the one in the HTML (to make the old site's relative links absolute). */
  link?: (href: string) => string;
}

/** The Markdown and what it refers to. */
export interface ConvertedHtml {
  markdown: string;
  /** Every image address in the HTML, as it was before {@link HtmlToMarkdownOptions.image}. */
  images: string[];
}

/** Elements whose content is never text of the post (hast-util-to-mdast would keep some of it). */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'form', 'button', 'input', 'select', 'textarea', 'svg', 'math', 'head', 'title', 'meta', 'link', 'base']);

/** Link schemes that may stay links; anything else (`javascript:`, `data:`, `vbscript:`) loses its link, keeps its text. */
const SAFE_LINK = /^(?:https?:|mailto:|#|\/(?!\/)|\.{0,2}\/|[^:]*$)/i;

/** An address of an image file. */
const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#].*)?$/i;

/** Image schemes that may stay images. */
const SAFE_IMAGE = /^(?:https?:|\/(?!\/)|\.{0,2}\/|[^:]*$)/i;

/**
 * Converts a post's HTML to Markdown the unified way: rehype-parse,
 * rehype-remark, remark-gfm, remark-stringify. The HTML is untrusted:
 * scripts, styles, frames and forms are dropped with their content, comments
 * go, links with other schemes than http(s), mailto or relative lose their
 * address, and images with one are dropped. A figure's caption becomes an
 * emphasised line under its image.
 *
 * @param html    The HTML of the body.
 * @param options Source-specific clean-up and image addresses.
 */
export async function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): Promise<ConvertedHtml> {
  const images: string[] = [];
  const processor = unified()
    .use(rehypeParse, { fragment: true })
    .use(() => async (tree: Root) => {
      cleanUp(tree);
      options.prepare?.(tree);
      captionsAsLines(tree);
      const found: Element[] = [];
      visit(tree, 'element', (node: Element) => {
        if (node.tagName === 'img') found.push(node);
      });
      for (const node of found) {
        const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : '';
        images.push(src);
        if (!options.image) continue;
        const address = await options.image(src);
        if (address === undefined) {
          node.tagName = 'span';
          node.properties = {};
        } else node.properties.src = address;
      }
      if (options.link) {
        const link = options.link;
        visit(tree, 'element', (node: Element) => {
          if (node.tagName === 'a' && typeof node.properties.href === 'string') node.properties.href = link(node.properties.href.trim());
        });
      }
    })
    .use(rehypeRemark)
    .use(() => (tree: MdastRoot) => {
      // The Markdown must not carry raw HTML through (hast-util-to-mdast makes none today; this keeps it so).
      visit(tree, 'html', (_node, index, parent) => {
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return index;
      });
    })
    .use(remarkGfm)
    .use(remarkStringify, { bullet: '-', rule: '-', fences: true });
  const markdown = String(await processor.process(html)).trim();
  return { markdown: markdown ? `${markdown}\n` : '', images: images.filter(Boolean) };
}

/** Drops comments and dangerous elements, and takes unsafe addresses off links and images. */
function cleanUp(tree: Root): void {
  visit(tree, (node, index, parent) => {
    if (!parent || index === undefined) return undefined;
    if (node.type === 'comment' || node.type === 'doctype' || (node.type === 'element' && DROPPED.has(node.tagName))) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.type !== 'element') return undefined;
    const href = node.properties.href;
    if (node.tagName === 'a' && (typeof href !== 'string' || !SAFE_LINK.test(href.trim()))) {
      node.tagName = 'span';
      node.properties = {};
    }
    const image = node.tagName === 'a' && typeof href === 'string' && IMAGE_FILE.test(href) ? onlyImage(node) : undefined;
    if (image) {
      // A thumbnail linked to its full-size file: keep the image, not a link into the old site's uploads.
      parent.children.splice(index, 1, image);
      return [SKIP, index];
    }
    const src = node.properties.src;
    if (node.tagName === 'img' && (typeof src !== 'string' || !SAFE_IMAGE.test(src.trim()))) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    return undefined;
  });
}

/** The one image inside an element that holds nothing else a reader sees, if so. */
function onlyImage(element: Element): Element | undefined {
  const images: Element[] = [];
  let text = '';
  visit(element, (node) => {
    if (node.type === 'element' && node.tagName === 'img') images.push(node);
    if (node.type === 'text') text += node.value;
  });
  return images.length === 1 && !text.trim() ? images[0] : undefined;
}

/** `<figcaption>` → `<p><em>…</em></p>`, so the caption is a line of its own under the image. */
function captionsAsLines(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'figcaption') return;
    node.tagName = 'p';
    node.properties = {};
    node.children = [{ type: 'element', tagName: 'em', properties: {}, children: node.children }];
  });
}
