import type { Element, Root } from 'hast';
import { relative, sep } from 'node:path';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { MediaFile } from '../content/images.js';
import { reportError } from '../diagnostics/build-failure.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { imageCacheDir } from './cache-dir.js';
import type { ImageCache } from './image-cache.js';
import type { ImageOptions } from './options.js';
import type { EncodedImage, ProcessedImage } from './process-image.js';
import { EXTENSIONS, MIME_TYPES, pageRelativeUrl, type Pictures, type ResponsiveImage } from './responsive-image.js';

/** A post or page whose local images are processed. */
export interface ImageHolder {
  file: VFile;
  tree: Root;
  /** Its local images; replaced by the processed files. */
  media: MediaFile[];
  /** The cover, relative to the page, when it has one. */
  cover?: string;
  /** Set here: the processed images by their `src` in the tree (and the cover's). */
  pictures?: Pictures;
}

/** How many images a build processed, and how many it took from the cache. */
export interface ImageStats {
  processed: number;
  reused: number;
}

/** Images processed at once: each one already keeps libvips' threads busy. */
const AT_ONCE = 2;

/**
 * Processes the local images of every post and page: each still JPEG, PNG,
 * WebP or AVIF is written in the configured widths and formats plus one
 * email JPEG or PNG (from the cache when the same bytes were processed with
 * the same options before); the original file is no longer published, since
 * it may carry EXIF data such as the place a photo was taken. Each holder's
 * `media`, tree `src`s and `cover` are changed to point at the new files, and
 * its `pictures` say which files make each `<picture>`. GIFs, animated WebP,
 * BMP and ICO are published as they are. An image sharp cannot decode is an
 * error at its place.
 *
 * @param root    The site root (the cache is under `.sahifa/cache/images/`).
 * @param options Widths, formats and qualities.
 * @param holders The posts and pages; changed in place.
 * @param write   Whether new results go into the cache (not for a build that writes nothing).
 */
export async function processSiteImages(root: string, options: ImageOptions, holders: readonly ImageHolder[], write = true): Promise<ImageStats> {
  const step = imageStep(root, options, write);
  await step.process(holders);
  return step.stats;
}

/** The image step of one build: posts and pages are handed to it as they are loaded. */
export interface ImageStep {
  /** Processes the local images of these posts or pages (see {@link processSiteImages}); changes them in place. */
  process(holders: readonly ImageHolder[]): Promise<void>;
  /** What the build has processed so far, and taken from the cache. */
  readonly stats: ImageStats;
}

/**
 * An image step shared by the whole build, so an image two posts use is
 * processed once even when both are loaded at the same time, and at most
 * {@link AT_ONCE} images are processed at once across the build.
 *
 * @param root    The site root (the cache is under `.sahifa/cache/images/`).
 * @param options Widths, formats and qualities.
 * @param write   Whether new results go into the cache (not for a build that writes nothing).
 */
export function imageStep(root: string, options: ImageOptions, write = true): ImageStep {
  const stats: ImageStats = { processed: 0, reused: 0 };
  const jobs = new Map<string, Promise<ProcessedImage | undefined | Error>>();
  const queue = limit(AT_ONCE);
  let tools: Promise<{ cache: ImageCache; imageKey: (content: Uint8Array, options: ImageOptions) => string }> | undefined;
  // sharp (libvips) is loaded only once some post or page has local images.
  const loadTools = () =>
    (tools ??= import('./image-cache.js').then(({ ImageCache, imageKey }) => ({ cache: new ImageCache(imageCacheDir(root), write), imageKey })));
  const processed = async (content: Uint8Array) => {
    const { cache, imageKey } = await loadTools();
    const key = imageKey(content, options);
    let job = jobs.get(key);
    if (!job) {
      job = queue(() => processOne(content, key, options, cache, stats)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      jobs.set(key, job);
    }
    return job.then((result) => ({ key, result }));
  };
  return {
    stats,
    async process(holders) {
      if (!holders.some((holder) => holder.media.length > 0)) return;
      await Promise.all(holders.map((holder) => processHolder(root, holder, processed)));
    },
  };
}

/** Processes one post's or page's images and points its tree, media and cover at the results. */
async function processHolder(
  root: string,
  holder: ImageHolder,
  processed: (content: Uint8Array) => Promise<{ key: string; result: ProcessedImage | undefined | Error }>,
): Promise<void> {
  const results = await Promise.all(holder.media.map(async (media) => ({ media, ...(await processed(media.content)) })));
  const pictures = new Map<string, ResponsiveImage>();
  const renamed = new Map<string, string>();
  const media: MediaFile[] = [];
  for (const { media: original, key, result } of results) {
    if (result instanceof Error) {
      reportError(holder.file, `cannot process image \`${terminalSafe(shownPath(root, original))}\` (${terminalSafe(result.message)}): save it again from an image editor as JPEG, PNG or WebP`, original.place, 'image-unreadable');
      // Kept so the failed build reports this one problem, not also a broken link to the image.
      media.push(original);
    } else if (!result) {
      media.push(original);
    } else {
      const files = outputs(original, key, result);
      media.push(...files.map((file) => ({ source: original.source, output: file.output, content: file.data, place: original.place })));
      const picture = responsiveImage(result, files);
      const src = pageRelativeUrl(largest(files, result.fallback).output);
      pictures.set(src, picture);
      renamed.set(`../${original.output}`, src);
    }
  }
  holder.media = media;
  holder.pictures = pictures;
  visit(holder.tree, 'element', (node: Element) => {
    const src = node.tagName === 'img' ? renamed.get(String(node.properties.src)) : undefined;
    if (!src) return;
    const picture = pictures.get(src)!;
    node.properties.src = src;
    node.properties.width = picture.width;
    node.properties.height = picture.height;
  });
  if (holder.cover) holder.cover = renamed.get(holder.cover) ?? holder.cover;
}

async function processOne(content: Uint8Array, key: string, options: ImageOptions, cache: ImageCache, stats: ImageStats): Promise<ProcessedImage | undefined> {
  const { isProcessable, processImage } = await import('./process-image.js');
  if (!(await isProcessable(content))) return undefined;
  const cached = await cache.get(key);
  if (cached) {
    stats.reused += 1;
    return cached;
  }
  const image = await processImage(content, options);
  stats.processed += 1;
  // A cache that cannot be written (read-only disk, full disk) costs the next build time, not this build its output.
  await cache.set(key, image).catch(() => undefined);
  return image;
}

/** The image's path from the site root as the writer knows it (`posts/assets/x.png`), else its output path. */
function shownPath(root: string, media: MediaFile): string {
  const path = relative(root, media.source);
  return path.startsWith('..') ? media.output : path.split(sep).join('/');
}

/** A processed file with its path under `dist/blog/`. */
interface Output extends EncodedImage {
  output: string;
}

/** `media/a/photo.jpg` → `media/a/photo.1a2b3c4d-480.webp`: the key in the name, so a changed image gets a new address. */
function outputs(original: MediaFile, key: string, image: ProcessedImage): Output[] {
  const stem = original.output.replace(/\.[^./]*$/, '');
  const seen = new Set<string>();
  const files: Output[] = [];
  for (const file of image.files) {
    const output = `${stem}.${key.slice(0, 8)}-${file.width}.${EXTENSIONS[file.format]}`;
    if (seen.has(output)) continue;
    seen.add(output);
    files.push({ ...file, output });
  }
  return files;
}

function largest(files: readonly Output[], format: EncodedImage['format']): Output {
  return files.filter((file) => file.role === 'page' && file.format === format).reduce((a, b) => (b.width > a.width ? b : a));
}

function responsiveImage(image: ProcessedImage, files: readonly Output[]): ResponsiveImage {
  const srcset = (format: EncodedImage['format']) =>
    files
      .filter((file) => file.role === 'page' && file.format === format)
      .sort((a, b) => a.width - b.width)
      .map((file) => `${pageRelativeUrl(file.output)} ${file.width}w`)
      .join(', ');
  const modern = [...new Set(files.filter((file) => file.role === 'page' && file.format !== image.fallback).map((file) => file.format))];
  const wanted = image.files.find((file) => file.role === 'email');
  const email = files.find((file) => file.format === wanted?.format && file.width === wanted.width) ?? largest(files, image.fallback);
  return {
    width: image.width,
    height: image.height,
    sources: modern.map((format) => ({ type: MIME_TYPES[format], srcset: srcset(format) })),
    srcset: srcset(image.fallback),
    email: { src: pageRelativeUrl(email.output), width: email.width, height: email.height },
  };
}

/** Runs at most `count` of the given tasks at a time. */
function limit(count: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= count) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
