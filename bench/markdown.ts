import { toHtml } from 'hast-util-to-html';
import MarkdownIt from 'markdown-it';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VFile } from 'vfile';
import { loadConfig } from '../src/config/load-config.js';
import { loadPost } from '../src/content/load-post.js';
import { processorCache } from '../src/markdown/processor-cache.js';
import { eleventyBuild, sampleSite, type Run } from './eleventy.js';
import { benchmark, type Figure } from './measure.js';
import { plainMarkdownToHtml } from './reference.js';
import { readSamplePost, samplePostCopy } from './sample-post.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** Posts of the site whose Markdown stage is set beside Eleventy's whole build (`BENCH_MARKDOWN_POSTS`). */
const POSTS = Number(process.env.BENCH_MARKDOWN_POSTS ?? 4000);
/** Posts converted per timed run of each engine. */
const BATCH = 200;

/** What {@link benchMarkdown} measured. */
export interface MarkdownComparison {
  /** Each engine on {@link BATCH} posts, markdown-it first (the reference). */
  figures: Figure[];
  posts: number;
  cores: number;
  /** sahifa's Markdown stage for the whole site, in seconds: its median per post × posts ÷ cores. */
  stageSeconds: number;
  /** Eleventy 3's full build of the same posts (pages only). */
  eleventy: Run;
}

/**
 * `npm run bench -- markdown`: what turning one post's Markdown into HTML
 * costs in sahifa (front matter, remark-parse → remark-rehype and sahifa's
 * plugins, as `loadPost` runs them in every build, then the HTML), beside
 * markdown-it as Eleventy 3 configures it and bare unified, on the same
 * sample post in the same run. Then the whole site's Markdown stage spread
 * evenly over every core, set beside Eleventy's full build of the same
 * files: the least a cold sahifa build can cost before it writes a page, an
 * email or a feed (issue 13's "cold ≤ 1.0× Eleventy" target).
 */
export async function benchMarkdown(): Promise<MarkdownComparison> {
  const sample = await readSamplePost();
  const config = await loadConfig(REPO);
  const context = { config, processorFor: processorCache(config), postsDir: join(REPO, 'posts') };
  const sources = Array.from({ length: BATCH }, (_, index) => samplePostCopy(sample, index));
  const bodies = sources.map((source) => source.replace(/^---\n[\s\S]*?\n---\n/, ''));
  // Eleventy's own Markdown options (`@11ty/eleventy/src/Engines/Markdown.js`).
  const markdownIt = new MarkdownIt({ html: true });

  const reference = await benchmark(`markdown-it (Eleventy 3's engine), ${BATCH} posts`, () => bodies.map((body) => markdownIt.render(body)));
  const figures = [reference, await benchmark(`bare unified (remark-parse → remark-rehype → HTML), ${BATCH} posts`, () => plainMarkdownToHtml(bodies), reference)];
  const sahifa = await benchmark(
    `sahifa's Markdown stage (loadPost, then HTML), ${BATCH} posts`,
    async () => {
      for (const [index, value] of sources.entries()) {
        const post = await loadPost(new VFile({ path: join(REPO, 'posts', `post-${index}.md`), value }), context);
        if (!post) throw new Error('the sample post did not load');
        toHtml(post.tree);
      }
    },
    reference,
  );
  figures.push(sahifa);

  const root = await mkdtemp(join(tmpdir(), 'sahifa-bench-markdown-'));
  try {
    await sampleSite(root, sample, POSTS);
    const eleventy = await eleventyBuild(root);
    const cores = availableParallelism();
    return { figures, posts: POSTS, cores, stageSeconds: ((sahifa.medianMs / BATCH) * POSTS) / cores / 1000, eleventy };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Prints the per-post figures and the whole site's Markdown stage beside Eleventy's build. */
export function printMarkdown(result: MarkdownComparison): void {
  const width = Math.max(...result.figures.map((figure) => figure.name.length));
  process.stdout.write(`${'engine'.padEnd(width)}  ${'µs a post'.padStart(10)}  ${'× markdown-it'.padStart(13)}\n`);
  for (const figure of result.figures) {
    process.stdout.write(`${figure.name.padEnd(width)}  ${((figure.medianMs * 1000) / BATCH).toFixed(0).padStart(10)}  ${figure.ratio.toFixed(1).padStart(13)}\n`);
  }
  process.stdout.write(
    `${result.posts} posts: sahifa's Markdown stage alone, on ${result.cores} cores, ${result.stageSeconds.toFixed(2)} s; Eleventy's full build ${result.eleventy.seconds.toFixed(2)} s (${result.eleventy.cpuSeconds.toFixed(1)} s CPU): ${(result.stageSeconds / result.eleventy.seconds).toFixed(2)}×\n`,
  );
}
