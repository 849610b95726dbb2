import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/pipeline/build.js';
import { benchmark, type Figure } from './measure.js';
import { plainMarkdownToHtml } from './reference.js';
import { readSamplePost, samplePostCopy } from './sample-post.js';

/** The repository root, whose sample site is the benchmark's input. */
const REPO = fileURLToPath(new URL('../', import.meta.url));

/** How many copies of the sample post the benchmark site holds. */
const POSTS = Number(process.env.BENCH_POSTS ?? 100);

/**
 * The build benchmark: builds a site of {@link POSTS} copies of the sample post
 * and, in the same run on the same machine, a reference: the same Markdown
 * through a bare unified pipeline (remark-parse → remark-rehype →
 * rehype-stringify). Machines here are noisy, so the figure that matters is
 * the ratio, not the milliseconds.
 */
export async function benchBuild(): Promise<Figure[]> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-bench-'));
  await cp(join(REPO, 'sahifa.config.json'), join(root, 'sahifa.config.json'));
  const sample = await readSamplePost();
  const sources = Array.from({ length: POSTS }, (_, index) => samplePostCopy(sample, index));
  await mkdir(join(root, 'posts'));
  await Promise.all(sources.map((source, index) => writeFile(join(root, 'posts', `post-${index}.md`), source)));

  const figures: Figure[] = [];
  const reference = await benchmark(`reference: bare unified, ${POSTS} posts`, () => plainMarkdownToHtml(sources));
  figures.push(reference);
  figures.push(await benchmark(`sahifa build (in memory), ${POSTS} posts`, () => build({ root, write: false }), reference));
  figures.push(await benchmark(`sahifa build (written to disk, no cache), ${POSTS} posts`, () => build({ root, out: join(root, 'dist'), cache: false }), reference));
  figures.push(await benchmark(`sahifa build (written to disk, nothing changed), ${POSTS} posts`, () => build({ root, out: join(root, 'dist') }), reference));
  return figures;
}
