import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from '../pipeline/build.js';
import { buildFreshness, modifiedAt } from '../pipeline/freshness.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import type { CampaignContent } from './personalize.js';

/**
 * The built email of a post, `dist/email/<slug>.*`, building the site first
 * when the email is missing or older than the posts, the configuration or
 * the site's templates.
 *
 * @param root The site root.
 * @param out  The output folder (default `<root>/dist`).
 * @param slug The post's slug.
 * @param options `future`: a build keeps posts dated in the future (for `send --force`).
 * @returns The content and whether a build ran.
 * @throws {Error} when the post has no email (no such slug, or `newsletter: false`).
 */
export async function loadBuiltEmail(root: string, out: string | undefined, slug: string, options: { future?: boolean } = {}): Promise<{ content: CampaignContent; built: boolean }> {
  const outDir = resolve(out ?? join(root, 'dist'));
  const path = (extension: string) => join(outDir, 'email', `${slug}.${extension}`);
  // The build's own time (its manifest is written by every build): an unchanged email keeps its older file time.
  const builtAt = (await modifiedAt(path('json'))) && (await modifiedAt(join(outDir, OUTPUT_MARKER)));
  const { stale } = await buildFreshness(root, builtAt);
  if (stale) await build({ root, out: outDir, future: options.future ?? false });
  const meta = await readFile(path('json'), 'utf8').catch(() => undefined);
  if (meta === undefined) {
    throw new Error(`there is no email for "${slug}": check the slug (the post's folder name under dist/blog/), that the post does not say newsletter: false, and that sahifa.config.json has an "email" section`);
  }
  const { subject } = JSON.parse(meta) as { subject: string };
  return { content: { slug, subject, html: await readFile(path('html'), 'utf8'), text: await readFile(path('txt'), 'utf8') }, built: stale };
}
