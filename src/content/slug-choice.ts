import { basename } from 'node:path';
import type { VFile } from 'vfile';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import { slugFromFileName, slugProblem, suggestSlug } from './slug.js';

/** What {@link decideSlug} needs of a post's or a page's front matter. */
export interface SlugSource {
  data: { slug?: string };
  placeOf(field: 'slug' | 'title'): Place;
}

/**
 * The slug of a post or page: its `slug:` when safe, else one made from the
 * file name; an unsafe one is an error at its place, with a suggestion.
 *
 * @param file        The document, for messages.
 * @param frontMatter Its front matter and the places of its fields.
 * @returns The slug, or `undefined` after reporting why there is none.
 */
export function decideSlug(file: VFile, frontMatter: SlugSource): string | undefined {
  const chosen = frontMatter.data.slug;
  if (chosen !== undefined) {
    const problem = slugProblem(chosen);
    if (!problem) return chosen;
    reportError(file, `unsafe \`slug\` "${chosen}": ${problem}; try \`slug: ${suggestSlug(chosen)}\``, frontMatter.placeOf('slug'), 'slug-unsafe');
    return undefined;
  }
  const derived = slugFromFileName(basename(file.path));
  const problem = slugProblem(derived);
  if (!problem) return derived;
  reportError(file, `cannot make a slug from the file name (${problem}): add \`slug: …\` to the front matter or rename the file`, frontMatter.placeOf('title'), 'slug-unsafe');
  return undefined;
}

