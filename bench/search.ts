import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/pipeline/build.js';
import { searchCacheDir } from '../src/search/index-cache.js';
import { benchmark, type Figure } from './measure.js';
import { readSamplePost, samplePostCopy } from './sample-post.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** How many copies of the sample post the site holds. */
const POSTS = Number(process.env.BENCH_POSTS ?? 100);

/** A site of {@link POSTS} copies of the sample post, with `search` as given. */
async function site(search: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-bench-search-'));
  const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, search }));
  const sample = await readSamplePost();
  await mkdir(join(root, 'posts'));
  await Promise.all(Array.from({ length: POSTS }, (_, index) => writeFile(join(root, 'posts', `post-${index}.md`), samplePostCopy(sample, index))));
  await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
  return root;
}

/**
 * What search costs a build (issue 15): the same site built to disk with
 * `search: false` (the reference), with search and an empty index cache
 * (Pagefind runs), and with search and the index reused from the cache.
 */
export async function benchSearch(): Promise<Figure[]> {
  const without = await site(false);
  const withSearch = await site(true);
  const reference = await benchmark(`sahifa build, search: false, ${POSTS} posts`, () => build({ root: without }));
  const cold = await benchmark(`sahifa build, search, index built, ${POSTS} posts`, async () => {
    await rm(searchCacheDir(withSearch), { recursive: true, force: true });
    await build({ root: withSearch });
  }, reference);
  const cached = await benchmark(`sahifa build, search, index reused, ${POSTS} posts`, () => build({ root: withSearch }), reference);
  return [reference, cold, cached];
}
