/**
 * Compiling MJML once per layout rather than once per post.
 *
 * Most of an email's MJML is the layout, and mjml's cost is the layout, not
 * the post. The per-post parts sit in places mjml copies verbatim: the
 * content of text-like ending tags (`mj-text`, `mj-button`, `mj-table`,
 * `mj-title`, `mj-preview`) and the `href`, `src` and `alt` of `mj-button`
 * and `mj-image`. Those are replaced with numbered markers; the rest (the
 * skeleton) is compiled once and cached, and each post's parts are put back
 * where the markers landed. Anything that could make mjml look inside a part
 * (inlined styles, `mj-html-attributes`, conditional comments, a marker
 * landing inside an Outlook conditional) sends the document to a full
 * compile, so the output is always byte for byte mjml's own.
 */

import { LayoutStore } from './layout-store.js';
import { loadMjml } from './load-mjml.js';
import { mjmlThread } from './mjml-thread.js';

/** Options given to every mjml compile. */
export const MJML_OPTIONS = { validationLevel: 'strict', fonts: {}, keepComments: false } as const;

type Mjml2Html = (mjml: string, options: typeof MJML_OPTIONS) => Promise<{ html: string }>;

/** Compiles MJML to HTML, as mjml2html would. */
export type MjmlCompile = (mjml: string) => Promise<string>;

const OPEN = '\uE000';
const CLOSE = '\uE001';
/** Components whose content mjml copies as is (trimmed) into the output. */
const SPLICED_CONTENT = new Set(['mj-text', 'mj-button', 'mj-table', 'mj-title', 'mj-preview']);
/** Ending tags whose content mjml does not parse, so the scan must skip it whole. */
const ENDING_TAG = /<(mj-text|mj-button|mj-table|mj-title|mj-preview|mj-raw|mj-style|mj-navbar-link|mj-social-element|mj-accordion-title|mj-accordion-text)(\s[^>]*)?(?<!\/)>([\s\S]*?)<\/\1\s*>/g;
const SPLICED_ATTRIBUTE = /(<mj-(?:image|button)\s[^>]*>)/g;
const ATTRIBUTE = /(\s)(href|src|alt)="([^"]*)"/g;
/** Parts that could take part in mjml's whole-document passes (conditional comments, CDATA). */
const UNSAFE_PART = /<!|-->|\]>|[\uE000\uE001]/;
/** Features that make mjml rewrite the body's HTML after rendering it. */
const UNSAFE_SKELETON = /mj-html-attributes|inline\s*=|[\uE000\uE001]/;
const CACHE_LIMIT = 128;

/** A compiled skeleton: literal text and marker indexes, alternating. */
type Parts = ReadonlyArray<string | number>;

/**
 * Splits a document into a skeleton with markers and the per-post parts.
 *
 * @returns `undefined` when the document must be compiled whole.
 */
export function splitMjml(mjml: string): { skeleton: string; parts: string[] } | undefined {
  // A marker character left in the skeleton (an attribute that is not spliced) would pass for a real marker.
  if (/[\uE000\uE001]/.test(mjml)) return undefined;
  const parts: string[] = [];
  const mark = (value: string): string => {
    parts.push(value);
    return `${OPEN}${parts.length - 1}${CLOSE}`;
  };
  const withContent = mjml.replace(ENDING_TAG, (whole, tag: string, _attributes: string | undefined, content: string) => {
    const value = content.trim();
    if (!SPLICED_CONTENT.has(tag) || !value) return whole;
    const closeAt = whole.lastIndexOf('</');
    const start = content.indexOf(value);
    return `${whole.slice(0, closeAt - content.length)}${content.slice(0, start)}${mark(value)}${content.slice(start + value.length)}${whole.slice(closeAt)}`;
  });
  if (parts.some((part) => UNSAFE_PART.test(part))) return undefined;
  const skeletonParts = withContent.replace(SPLICED_ATTRIBUTE, (tag: string) =>
    tag.replace(ATTRIBUTE, (whole, space: string, name: string, value: string) => (value && !UNSAFE_PART.test(value) ? `${space}${name}="${mark(value)}"` : whole)),
  );
  if (UNSAFE_SKELETON.test(skeletonParts.replace(/\uE000\d+\uE001/g, ''))) return undefined;
  return { skeleton: skeletonParts, parts };
}

/**
 * Cuts a compiled skeleton at its markers.
 *
 * @returns `undefined` when a marker is missing or landed inside an Outlook
 *   conditional comment (whose whitespace mjml rewrites).
 */
export function cutAtMarkers(html: string, count: number): Parts | undefined {
  const cut: Array<string | number> = [];
  const seen = new Set<number>();
  const marker = /\uE000(\d+)\uE001/g;
  let last = 0;
  for (const match of html.matchAll(marker)) {
    const before = html.slice(0, match.index);
    if (before.lastIndexOf('<!--[if') > before.lastIndexOf('<![endif]-->')) return undefined;
    cut.push(html.slice(last, match.index), Number(match[1]));
    seen.add(Number(match[1]));
    last = match.index + match[0].length;
  }
  cut.push(html.slice(last));
  return seen.size === count ? cut : undefined;
}

/**
 * A compiler that keeps each distinct skeleton's output (a bounded number of
 * them) and splices posts into it; documents it cannot split safely, and
 * skeletons that fail or lose a marker, are compiled whole by mjml, so its
 * errors are reported as before.
 *
 * @param mjml2html mjml's compile function.
 */
export function splicingCompiler(mjml2html: Mjml2Html, store: () => LayoutStore | undefined = () => undefined): MjmlCompile {
  const cache = new Map<string, Promise<Parts | undefined>>();
  const whole = async (mjml: string) => (await mjml2html(mjml, MJML_OPTIONS)).html;
  const compileSkeleton = async (skeleton: string) => {
    const stored = store()?.get(skeleton);
    if (stored !== undefined) return stored;
    // mjml may already be loaded in a thread of its own (mjml-thread.ts); whatever it cannot do is done here.
    const html = (await mjmlThread()?.compile(skeleton, MJML_OPTIONS).catch(() => undefined)) ?? (await whole(skeleton));
    store()?.put(skeleton, html);
    return html;
  };
  return async (mjml) => {
    const split = splitMjml(mjml);
    if (!split) return whole(mjml);
    let compiled = cache.get(split.skeleton);
    if (!compiled) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      compiled = compileSkeleton(split.skeleton).then(
        (html) => cutAtMarkers(html, split.parts.length),
        () => undefined,
      );
      cache.set(split.skeleton, compiled);
    }
    const cut = await compiled;
    if (!cut) return whole(mjml);
    return cut.map((piece) => (typeof piece === 'number' ? split.parts[piece] : piece)).join('');
  };
}

/** Where compiled layouts are kept between builds, while a build with a cache runs (see {@link keepCompiledLayouts}). */
let layouts: LayoutStore | undefined;

/**
 * Keeps compiled layouts in `folder` (a build with its cache on), or stops
 * keeping them (`undefined`).
 *
 * @param folder The site's `.sahifa/cache/mjml/`.
 */
export function keepCompiledLayouts(folder: string | undefined): void {
  if (layouts?.folder !== folder) layouts = folder === undefined ? undefined : new LayoutStore(folder);
}

/** The process's splicing compiler; mjml is imported the first time something must be compiled by it (it costs about 0.5 s to load). */
const shared = splicingCompiler(async (mjml, options) => (await loadMjml())(mjml, options), () => layouts);

/**
 * Compiles an email's MJML as mjml would, splicing it into its layout's
 * compiled output (from memory, the layout store, or mjml).
 *
 * @param mjml The whole email's MJML.
 */
export async function compileMjml(mjml: string): Promise<string> {
  return shared(mjml);
}
