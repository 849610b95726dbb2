/**
 * One timed image run in a process of its own, so that neither tool keeps
 * anything in memory between the cold and the warm run (eleventy-img's warm
 * run is its disk cache, sahifa's is `.sahifa/cache/images/`):
 * `node --import tsx bench/images-worker.ts sahifa|eleventy PHOTOS WORK`.
 * Prints `{"ms": …, "processed": …}` on standard output.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Root } from 'hast';
import { VFile } from 'vfile';
import { DEFAULT_IMAGE_OPTIONS } from '../src/images/options.js';
import { processSiteImages, type ImageHolder } from '../src/images/process-site-images.js';

const [tool, photos, work] = process.argv.slice(2);
if (!tool || !photos || !work) throw new Error('usage: images-worker.ts sahifa|eleventy PHOTOS WORK');
const names = (await readdir(photos)).filter((name) => name.endsWith('.jpg')).sort();

/** sahifa's build step: every photo in a post of its own, as a build would give them. */
async function sahifa(): Promise<number> {
  const holders: ImageHolder[] = await Promise.all(
    names.map(async (name) => {
      const content = await readFile(join(photos!, name));
      const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'img', properties: { src: `../media/${name}`, alt: '' }, children: [] }] };
      return { file: new VFile({ path: join(photos!, `${name}.md`) }), tree, media: [{ source: join(photos!, name), output: `media/${name}`, content }] };
    }),
  );
  const stats = await processSiteImages(work!, DEFAULT_IMAGE_OPTIONS, holders);
  return stats.processed;
}

/** eleventy-img with the same widths and formats (its own format beside AVIF and WebP), sharp's default qualities. */
async function eleventy(): Promise<number> {
  const Image = createRequire(import.meta.url)('@11ty/eleventy-img') as (src: string, options: object) => Promise<unknown>;
  await Promise.all(names.map((name) => Image(join(photos!, name), { widths: [...DEFAULT_IMAGE_OPTIONS.widths], formats: ['avif', 'webp', 'jpeg'], outputDir: join(work!, 'img') })));
  return names.length;
}

const started = performance.now();
const processed = tool === 'sahifa' ? await sahifa() : await eleventy();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, processed })}\n`);
