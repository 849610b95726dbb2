import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifReader from 'exif-reader';
import type { Element } from 'hast';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkImage } from '../../src/content/image-type.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { imageCacheDir } from '../../src/images/cache-dir.js';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { findAll, parseHtml } from '../helpers/html.js';
import { copyFixture } from '../helpers/site.js';
import { writeFixtureImages } from './fixture-images.js';

const SITE = 'https://example.org/';
const SLUG = 'photos';
const TYPES: Record<string, string> = { 'image/avif': 'heif', 'image/webp': 'webp', 'image/jpeg': 'jpeg', 'image/png': 'png' };

let root: string;
let first: BuildResult;
let second: BuildResult;
let uncached: BuildResult;

/** A published file under dist/blog/, by its address relative to the post's page. */
async function published(src: string): Promise<Buffer> {
  const path = decodeURIComponent(new URL(src, `${SITE}${SLUG}/`).pathname.slice(1));
  return readFile(join(root, 'dist', 'blog', path));
}

/** `url 480w, url 960w` → [[url, 480], …]. */
function candidates(srcset: unknown): Array<[string, number]> {
  return String(srcset)
    .split(', ')
    .map((entry) => {
      const [url, width] = entry.split(' ');
      return [url!, Number(width!.slice(0, -1))];
    });
}

beforeAll(async () => {
  root = await copyFixture('issue-14-images');
  await writeFixtureImages(root);
  first = await build({ root });
  second = await build({ root });
  // Without the content cache every post is rendered again, and its images come from the image cache.
  uncached = await build({ root, cache: false });
}, 600_000);

describe('issue 14: images that are sized, responsive and light', () => {
  it('writes every <picture> source in the output, in the width and type it claims', async () => {
    const page = parseHtml(await readFile(join(root, 'dist', 'blog', SLUG, 'index.html'), 'utf8'));
    const pictures = findAll(page, (element) => element.tagName === 'picture');
    expect(pictures).toHaveLength(4); // the cover, the phone photo twice, the logo
    for (const picture of pictures) {
      const sources = picture.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'source');
      expect(sources.map((source) => source.properties.type)).toEqual(['image/avif', 'image/webp']);
      const img = picture.children.find((child): child is Element => child.type === 'element' && child.tagName === 'img')!;
      const fallbackType = String(img.properties.src).endsWith('.png') ? 'image/png' : 'image/jpeg';
      for (const [srcset, type] of [...sources.map((source) => [source.properties.srcSet, String(source.properties.type)] as const), [img.properties.srcSet, fallbackType] as const]) {
        expect(String(sources[0]!.properties.sizes)).toBe(String(img.properties.sizes));
        for (const [url, width] of candidates(srcset)) {
          const meta = await sharp(await published(url)).metadata();
          expect(meta.format, url).toBe(TYPES[type]);
          expect(meta.width, url).toBe(width);
          // The aspect ratio of the <img> is the file's, within a pixel of rounding.
          expect(Math.abs(meta.height! - (width * Number(img.properties.height)) / Number(img.properties.width)), url).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('gives each image the width and height of the upright source, never upscaling', async () => {
    const page = parseHtml(String(first.files.get(`blog/${SLUG}/index.html`)));
    const images = findAll(page, (element) => element.tagName === 'img');
    const size = (alt: string) => images.filter((img) => img.properties.alt === alt).map((img) => [img.properties.width, img.properties.height]);
    // The phone stored it 3000×2000 with EXIF orientation 6: upright it is 2000×3000.
    expect(size('الوادي عند الغروب')).toEqual([[2000, 3000]]);
    expect(size('')).toEqual([[2000, 3000]]);
    expect(size('الشعار')).toEqual([[800, 400]]);
    expect(size('غلاف الرحلة')).toEqual([[2400, 1200]]);
    const logo = images.find((img) => img.properties.alt === 'الشعار')!;
    expect(candidates(logo.properties.srcSet).map(([, width]) => width)).toEqual([480, 800]);
    const phone = images.find((img) => img.properties.alt === 'الوادي عند الغروب')!;
    expect(candidates(phone.properties.srcSet).map(([, width]) => width)).toEqual([480, 960, 1440]);
    const upright = await sharp(await published(String(phone.properties.src))).metadata();
    expect([upright.width, upright.height, upright.orientation ?? 1]).toEqual([1440, 2160, 1]);
  });

  it('loads the cover at once with high priority and the body images lazily', () => {
    const page = parseHtml(String(first.files.get(`blog/${SLUG}/index.html`)));
    const images = findAll(page, (element) => element.tagName === 'img');
    const cover = images.find((img) => (img.properties.className as string[] | undefined)?.includes('cover'))!;
    expect(cover.properties).toMatchObject({ alt: 'غلاف الرحلة', fetchPriority: 'high', decoding: 'async' });
    expect(cover.properties.loading).toBeUndefined();
    for (const img of images.filter((image) => image !== cover)) expect(img.properties, String(img.properties.src)).toMatchObject({ loading: 'lazy', decoding: 'async' });
  });

  it('publishes no EXIF GPS position, nor the originals that carry it', async () => {
    const media = join(root, 'dist', 'blog', 'media');
    const files = (await readdir(media, { recursive: true })).filter((name) => /\.(?:jpe?g|png|webp|avif|gif)$/.test(name));
    expect(files.length).toBeGreaterThan(20);
    expect(files).not.toContain('assets/phone.jpg');
    expect(files).not.toContain('assets/cover photo.jpg');
    for (const name of files) {
      const meta = await sharp(await readFile(join(media, name))).metadata();
      const exif = meta.exif ? exifReader(meta.exif) : undefined;
      expect(exif?.GPSInfo, name).toBeUndefined();
      expect(meta.exif, name).toBeUndefined();
    }
    // The source really had one: the test would prove nothing otherwise.
    const source = await sharp(await readFile(join(root, 'posts', 'assets', 'phone.jpg'))).metadata();
    expect(exifReader(source.exif!).GPSInfo).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: [24, 42, 0] });
  });

  it('leaves the animated GIF as it is, every frame kept', async () => {
    const gif = first.files.get('blog/media/assets/spinner.gif') as Uint8Array;
    expect(Buffer.from(gif)).toEqual(await readFile(join(root, 'posts', 'assets', 'spinner.gif')));
    expect((await sharp(gif).metadata()).pages).toBe(3);
  });

  it('passes every written image through the check publish relies on (AVIF and WebP included)', () => {
    const media = [...first.files].filter(([path]) => path.startsWith('blog/media/'));
    expect(new Set(media.map(([path]) => path.split('.').pop()))).toEqual(new Set(['avif', 'webp', 'jpg', 'png', 'gif']));
    for (const [path, content] of media) expect(checkImage(content as Uint8Array, path), path).toHaveProperty('width');
  });

  it('gives the email one JPEG or PNG per image, at most 1,200 px wide, shown at 600 at most, by absolute URL', async () => {
    const html = parseHtml(String(first.files.get(`email/${SLUG}.html`)));
    expect(findAll(html, (element) => element.tagName === 'picture' || element.tagName === 'source')).toEqual([]);
    const images = findAll(html, (element) => element.tagName === 'img' && String(element.properties.src).startsWith(`${SITE}media/`));
    expect(images).toHaveLength(5); // the cover, the phone photo twice, the logo, the GIF
    for (const img of images) {
      const src = String(img.properties.src);
      const meta = await sharp(await published(src)).metadata();
      expect(['jpeg', 'png', 'gif'], src).toContain(meta.format);
      expect(meta.width!, src).toBeLessThanOrEqual(1200);
      expect(Number(img.properties.width), src).toBeLessThanOrEqual(600);
      expect(Number(img.properties.width), src).toBeGreaterThan(0);
    }
    const formats = await Promise.all(images.map(async (img) => (await sharp(await published(String(img.properties.src))).metadata()).format));
    expect(formats).toContain('png'); // the transparent logo stays PNG
    expect(formats).toContain('jpeg');
    const phone = images.find((img) => img.properties.alt === 'الوادي عند الغروب')!;
    expect((await sharp(await published(String(phone.properties.src))).metadata()).width).toBe(1200);
    const remote = findAll(html, (element) => element.tagName === 'img' && element.properties.src === 'https://images.example.com/far.jpg');
    expect(remote).toHaveLength(1);
  });

  it('leaves a remote image as it is, with a warning at its place that says to download it', () => {
    const warnings = first.warnings.map((message) => formatMessage(message, { cwd: root }));
    expect(warnings).toContain(
      'posts/photos.md:23:1: warning image `https://images.example.com/far.jpg` is on another site and is left as it is (not resized, no width and height, its metadata kept): download it into posts/assets/ and use its path, e.g. `assets/photo.jpg` [image-remote]',
    );
    expect(String(first.files.get(`blog/${SLUG}/index.html`))).toContain('<img src="https://images.example.com/far.jpg" alt="صورة بعيدة" loading="lazy" decoding="async">');
  });

  it('processes no image on a second build, and writes the same files', () => {
    expect(first.images).toEqual({ processed: 3, reused: 0 });
    // The post is unchanged, so the content cache takes its files, images included, from the first build.
    expect(second.cache.cached).toBe(1);
    expect(second.images).toEqual({ processed: 0, reused: 0 });
    expect(uncached.images).toEqual({ processed: 0, reused: 3 });
    const media = (result: BuildResult) => new Map([...result.files].filter(([path]) => path.startsWith('blog/media/')));
    expect(media(second)).toEqual(media(first));
    expect(media(uncached)).toEqual(media(first));
  });

  it('ignores a damaged cache entry and makes it again', async () => {
    const cache = imageCacheDir(root);
    const entries = (await readdir(cache, { recursive: true })).filter((name) => name.endsWith('.bin'));
    expect(entries).toHaveLength(3);
    const damaged = join(cache, entries[0]!);
    const bytes = await readFile(damaged);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
    await writeFile(damaged, bytes);
    await writeFile(join(cache, entries[1]!), 'not an entry');
    const third = await build({ root, write: false });
    expect(third.images).toEqual({ processed: 2, reused: 1 });
    const media = (result: BuildResult) => new Map([...result.files].filter(([path]) => path.startsWith('blog/media/')));
    expect(media(third)).toEqual(media(first));
    expect(existsSync(damaged)).toBe(true);
  });
});
