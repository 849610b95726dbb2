import { benchBuild } from './build.js';
import { compareWithEleventy, printComparison } from './eleventy.js';
import { benchImages } from './images.js';
import { benchMarkdown, printMarkdown } from './markdown.js';
import { printTable } from './measure.js';
import { benchSearch } from './search.js';
import { benchSend } from './send.js';
import { benchServe, printServeTable } from './serve.js';

/**
 * `npm run bench`: each figure beside a reference measured in the same run
 * on the same machine. Machines here are noisy: compare the ratios.
 * `BENCH_POSTS`, `BENCH_SUBSCRIBERS` and `BENCH_REQUESTS` change the sizes;
 * `npm run bench -- build`, `-- markdown`, `-- send`, `-- serve`, `-- search` or `-- images` runs one part (`BENCH_IMAGES` photos, default 100). The build part also compares the
 * CLI with Eleventy 3 (`BENCH_SIZES`, `BENCH_RUNS`; `BENCH_ELEVENTY=0` skips it); the Markdown part sets the Markdown stage of
 * `BENCH_MARKDOWN_POSTS` posts (default 4,000) beside Eleventy's full build.
 */
const parts = process.argv.slice(2);
if (parts.length === 0 || parts.includes('build')) {
  process.stdout.write('Build\n');
  printTable(await benchBuild());
  if (process.env.BENCH_ELEVENTY !== '0') {
    process.stdout.write('\nsahifa CLI (pages, feeds, emails) cold, unchanged and after one edit, against a full Eleventy 3 build (the same Markdown to pages only)\n');
    printComparison(await compareWithEleventy());
  }
}
if (parts.length === 0 || parts.includes('markdown')) {
  process.stdout.write("\nMarkdown (issue 13): sahifa's Markdown stage (unified, as its brief names it) per post, beside Eleventy's engine, and for a whole site beside Eleventy's full build\n");
  printMarkdown(await benchMarkdown());
}
if (parts.length === 0 || parts.includes('search')) {
  process.stdout.write('\nSearch (issue 15): what the index costs a build written to disk\n');
  printTable(await benchSearch());
}
if (parts.length === 0 || parts.includes('send')) {
  process.stdout.write('\nSend (per message; messages/s in the last column)\n');
  printTable(await benchSend());
}
if (parts.length === 0 || parts.includes('serve')) {
  process.stdout.write('\nServe (POST /subscribe through autocannon; ratios against the bare handler)\n');
  printServeTable(await benchServe());
}
if (parts.length === 0 || parts.includes('images')) {
  process.stdout.write('\nImages (3000×2000 photos to 480/960/1440 in AVIF, WebP and JPEG; ratios against eleventy-img, cold then warm)\n');
  printTable(await benchImages());
}
