import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from '../pipeline/build.js';
import { buildFreshness, modifiedAt } from '../pipeline/freshness.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import type { CampaignContent } from './personalize.js';

/**
 * The built email of a post, `dist/email/<slug>.*`, building the site first
 * when the email is missing or older than the posts, the configuration or
 * the site's templates. For a dry run that build is made in memory and the
 * email taken from it: a dry run changes nothing anywhere.
 *
 * @param root The site root.
 * @param out  The output folder (default `<root>/dist`).
 * @param slug The post's slug.
 * @param options `future`: a build keeps posts dated in the future (for `send --force`); `dryRun`: build in memory.
 * @returns The content and whether a build ran.
 * @throws {Error} when the post has no email (no such slug, or `newsletter: false`).
 */
export async function loadBuiltEmail(
  root: string,
  out: string | undefined,
  slug: string,
  options: { future?: boolean; dryRun?: boolean } = {},
): Promise<{ content: CampaignContent; built: boolean }> {
  const outDir = resolve(out ?? join(root, 'dist'));
  const file = (extension: string) => `email/${slug}.${extension}`;
  // The build's own time (its manifest is written by every build): an unchanged email keeps its older file time.
  const builtAt = (await modifiedAt(join(outDir, file('json')))) && (await modifiedAt(join(outDir, OUTPUT_MARKER)));
  const { stale } = await buildFreshness(root, builtAt);
  let read = (extension: string) => readFile(join(outDir, file(extension)), 'utf8').catch(() => undefined);
  if (stale && options.dryRun) {
    const { files } = await build({ root, out: outDir, future: options.future ?? false, write: false });
    read = async (extension) => {
      const content = files.get(file(extension));
      return content === undefined || typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    };
  } else if (stale) await build({ root, out: outDir, future: options.future ?? false });
  const [meta, html, text] = await Promise.all([read('json'), read('html'), read('txt')]);
  if (meta === undefined || html === undefined || text === undefined) {
    throw new Error(`there is no email for "${slug}": check the slug (the post's folder name under dist/blog/), that the post does not say newsletter: false, and that sahifa.config.json has an "email" section`);
  }
  const { subject } = JSON.parse(meta) as { subject: string };
  return { content: { slug, subject, html, text }, built: stale };
}
