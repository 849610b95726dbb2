import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The sample site's post, the text every build benchmark copies. */
const SAMPLE_POST = fileURLToPath(new URL('../posts/2025-02-28-russia-us-diplomatic-talks.md', import.meta.url));

/** The sample post's Markdown. */
export function readSamplePost(): Promise<string> {
  return readFile(SAMPLE_POST, 'utf8');
}

/**
 * Copy `index` of the sample post: its text with `slug: post-<index>` after
 * its date, so that copies do not share a page.
 *
 * @param sample The sample post's Markdown ({@link readSamplePost}).
 * @param index  The copy's number.
 */
export function samplePostCopy(sample: string, index: number): string {
  return sample.replace('date: 2025-02-28', `date: 2025-02-28\nslug: post-${index}`);
}
