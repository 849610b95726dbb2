import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Figure } from './measure.js';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./images-worker.ts', import.meta.url));

/**
 * Writes `count` different 3000×2000 JPEG photos: a colour gradient under
 * blurred noise, which encoders treat like a photo (flat colour would
 * flatter every encoder).
 */
async function photos(count: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'sahifa-bench-photos-'));
  for (let index = 0; index < count; index += 1) {
    const gradient = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${(index * 37) % 360},60%,45%)"/><stop offset="1" stop-color="hsl(${(index * 37 + 140) % 360},50%,60%)"/></linearGradient></defs><rect width="3000" height="2000" fill="url(#g)"/></svg>`);
    const noise = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).blur(3).png().toBuffer();
    const photo = await sharp(gradient).composite([{ input: noise, blend: 'soft-light' }]).jpeg({ quality: 90 }).toBuffer();
    await writeFile(join(folder, `photo-${String(index).padStart(3, '0')}.jpg`), photo);
  }
  return folder;
}

/** One run of one tool in a fresh process. */
async function timed(tool: 'sahifa' | 'eleventy', folder: string, work: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', WORKER, tool, folder, work], { maxBuffer: 1 << 20 });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number }).ms;
}

const figure = (name: string, ms: number, count: number, reference?: number): Figure => ({ name, medianMs: ms, minMs: ms, runs: 1, ratio: reference ? ms / reference : 1, perSecond: (count * 1000) / ms });

/**
 * `npm run bench -- images`: `BENCH_IMAGES` photos (default 100) of
 * 3000×2000 written in the default widths (480, 960, 1440) and formats
 * (AVIF, WebP and JPEG), cold (empty cache) and warm (everything cached), by
 * sahifa's image step and by eleventy-img with the same widths and formats,
 * each run in a fresh process. One run each: a cold run of 100 photos takes
 * minutes; compare the ratios.
 */
export async function benchImages(): Promise<Figure[]> {
  const count = Number(process.env.BENCH_IMAGES ?? 100);
  const folder = await photos(count);
  const sahifaWork = await mkdtemp(join(tmpdir(), 'sahifa-bench-images-'));
  const eleventyWork = await mkdtemp(join(tmpdir(), 'sahifa-bench-eleventy-img-'));
  await mkdir(join(eleventyWork, 'img'));
  try {
    const eleventyCold = await timed('eleventy', folder, eleventyWork);
    const sahifaCold = await timed('sahifa', folder, sahifaWork);
    const eleventyWarm = await timed('eleventy', folder, eleventyWork);
    const sahifaWarm = await timed('sahifa', folder, sahifaWork);
    return [
      figure(`eleventy-img cold, ${count} photos`, eleventyCold, count),
      figure(`sahifa cold, ${count} photos`, sahifaCold, count, eleventyCold),
      figure(`eleventy-img warm (disk cache)`, eleventyWarm, count),
      figure(`sahifa warm (.sahifa/cache/images)`, sahifaWarm, count, eleventyWarm),
    ];
  } finally {
    await Promise.all([folder, sahifaWork, eleventyWork].map((path) => rm(path, { recursive: true, force: true })));
  }
}
