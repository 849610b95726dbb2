import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSamplePost, samplePostCopy } from './sample-post.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const MAX_RSS = join(REPO, 'bench', 'max-rss.cjs');
const ELEVENTY = join(REPO, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');

/** Site sizes (posts), from `BENCH_SIZES=1,1000,4000`. */
const SIZES = (process.env.BENCH_SIZES ?? '1,1000,4000').split(',').map(Number).filter((size) => Number.isInteger(size) && size > 0);
/** Timed runs of each tool at each size, interleaved (`BENCH_RUNS`). */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
/** Whether the sahifa site builds its search index (`BENCH_SEARCH=0`: `search: false`, the pages, emails and feeds the issue-13 targets were set for). */
const SEARCH = process.env.BENCH_SEARCH !== '0';
/** The sahifa CLI to time (`BENCH_SAHIFA=/path/to/lib/bundle/bin.js` times another checkout's build). */
const SAHIFA = process.env.BENCH_SAHIFA ?? join(REPO, 'lib', 'bundle', 'bin.js');

/** One child process run: wall time, CPU time (all threads) and peak memory. */
export interface Run {
  seconds: number;
  /** User + system CPU seconds: less sensitive than wall time to other work on a shared machine. */
  cpuSeconds: number;
  maxRssMiB: number;
}

/** The medians of one size: sahifa's three cases and Eleventy's full build. */
export interface Comparison {
  posts: number;
  /** Cold: no output, no cache. */
  sahifa: Run;
  /** Built again with nothing changed (the build stamp answers). */
  unchanged: Run;
  /** Built again after a file that no post uses changed: the stamp no longer matches, every post comes from the content cache. */
  touched: Run;
  /** Built again after one post was edited. */
  edited: Run;
  eleventy: Run;
}

/**
 * `npm run bench -- build`: for each size, a site of that many Arabic posts
 * (the sample post under new slugs, email on) built by the sahifa CLI
 * (pages, feeds and emails) cold (no output, no cache), again with nothing
 * changed, again after a file no post uses changed (every post from the
 * content cache), and again after one post was edited; and built by Eleventy 3
 * (the same Markdown files to pages only, a full build). Each build runs in
 * its own child process, interleaved run by run so all see the same
 * machine load; medians of wall time and of peak memory.
 */
export async function compareWithEleventy(): Promise<Comparison[]> {
  const sample = await readSamplePost();
  const results: Comparison[] = [];
  for (const posts of SIZES) {
    const root = await mkdtemp(join(tmpdir(), `sahifa-bench-${posts}-`));
    const source = await sampleSite(root, sample, posts);
    const runs = { sahifa: [] as Run[], unchanged: [] as Run[], touched: [] as Run[], edited: [] as Run[], eleventy: [] as Run[] };
    const sahifa = () => timed([SAHIFA, 'build', '--root', root, '--out', join(root, 'dist')], root);
    for (let run = 0; run < RUNS; run += 1) {
      await rm(join(root, 'dist'), { recursive: true, force: true });
      await rm(join(root, '.sahifa'), { recursive: true, force: true });
      runs.sahifa.push(await sahifa());
      runs.unchanged.push(await sahifa());
      await writeFile(join(root, 'notes.txt'), `run ${run}\n`);
      runs.touched.push(await sahifa());
      await writeFile(join(root, 'posts', 'post-0.md'), `${source(0)}\nEdited in run ${run}.\n`);
      runs.edited.push(await sahifa());
      await rm(join(root, '_site'), { recursive: true, force: true });
      runs.eleventy.push(await eleventyBuild(root));
    }
    await rm(root, { recursive: true, force: true });
    results.push({ posts, sahifa: median(runs.sahifa), unchanged: median(runs.unchanged), touched: median(runs.touched), edited: median(runs.edited), eleventy: median(runs.eleventy) });
  }
  return results;
}

/**
 * Writes the benchmark's site into `root`: the sample site's configuration
 * (search off with `BENCH_SEARCH=0`) and `posts` copies of the sample post
 * under their own slugs, `posts/post-<n>.md`.
 *
 * @param root   An empty folder.
 * @param sample The sample post's Markdown.
 * @param posts  How many posts.
 * @returns The text of post `n`.
 */
export async function sampleSite(root: string, sample: string, posts: number): Promise<(index: number) => string> {
  const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, ...(SEARCH ? {} : { search: false }) }, null, 2));
  await mkdir(join(root, 'posts'));
  const source = (index: number) => samplePostCopy(sample, index);
  await Promise.all(Array.from({ length: posts }, (_, index) => writeFile(join(root, 'posts', `post-${index}.md`), source(index))));
  return source;
}

/**
 * Eleventy 3's full build of a site's `posts/` to pages only (into `_site/`, which must not exist), in a child process.
 *
 * @param root The site from {@link sampleSite}.
 */
export async function eleventyBuild(root: string): Promise<Run> {
  return timed([ELEVENTY, '--input=posts', '--output=_site', '--formats=md', '--quiet'], root);
}

/** Runs `node <args>` in `cwd`; fails on a non-zero exit. */
async function timed(args: string[], cwd: string): Promise<Run> {
  const rssFile = join(cwd, `.rss-${process.pid}-${Date.now()}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', MAX_RSS, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  const lines = (await readFile(rssFile, 'utf8')).trim().split('\n').map((line) => line.split(' ').map(Number));
  await rm(rssFile, { force: true });
  return { seconds, cpuSeconds: Math.max(...lines.map((line) => line[1] ?? 0)) / 1e6, maxRssMiB: Math.max(...lines.map((line) => line[0] ?? 0)) / 1024 };
}

function median(runs: readonly Run[]): Run {
  const middle = <T>(values: readonly T[], key: (value: T) => number) => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)];
  return {
    seconds: middle(runs, (run) => run.seconds)?.seconds ?? 0,
    cpuSeconds: middle(runs, (run) => run.cpuSeconds)?.cpuSeconds ?? 0,
    maxRssMiB: middle(runs, (run) => run.maxRssMiB)?.maxRssMiB ?? 0,
  };
}

/** Prints the comparison with the machine it ran on. */
export function printComparison(results: readonly Comparison[]): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} interleaved runs, medians; sahifa: search ${SEARCH ? 'on' : 'off (BENCH_SEARCH=0)'}; Eleventy: full build, pages only\n`);
  process.stdout.write('posts  sahifa build         sahifa s  eleventy s  sahifa ÷ eleventy  CPU s sahifa/eleventy  sahifa MiB  eleventy MiB\n');
  for (const result of results) {
    const { posts, eleventy } = result;
    for (const [label, run] of [['cold', result.sahifa], ['nothing changed', result.unchanged], ['no post changed', result.touched], ['one post edited', result.edited]] as const) {
      process.stdout.write(
        `${String(posts).padStart(5)}  ${label.padEnd(16)}  ${run.seconds.toFixed(2).padStart(9)}  ${eleventy.seconds.toFixed(2).padStart(10)}  ${(run.seconds / eleventy.seconds).toFixed(2).padStart(16)}×  ${`${run.cpuSeconds.toFixed(1)}/${eleventy.cpuSeconds.toFixed(1)}`.padStart(21)}  ${run.maxRssMiB.toFixed(0).padStart(10)}  ${eleventy.maxRssMiB.toFixed(0).padStart(12)}\n`,
      );
    }
  }
}
