import { resolve } from 'node:path';
import { compareTrees, hashTree } from './changes.js';
import { localReleaseHost } from './release-host.js';
import { publishRelease, rollbackRelease, type ReleaseReport } from './release-publish.js';

/**
 * Publishes `blog` into a local web root as a new release and switches
 * `<path>/current` to it.
 *
 * @param blog   The folder to publish (`dist/blog`).
 * @param path   The web root (relative paths from the site root).
 * @param keep   Releases to keep.
 * @param dryRun Work out the changes only.
 */
export function publishDir(blog: string, path: string, keep: number, dryRun: boolean): Promise<ReleaseReport> {
  const host = localReleaseHost(resolve(path));
  return publishRelease(
    host,
    {
      changes: async (current) => compareTrees(current ? await hashTree(host.path(current)) : new Map(), await hashTree(blog)),
      upload: (staging) => host.upload(blog, staging),
    },
    keep,
    dryRun,
  );
}

/**
 * Switches a local web root back to its previous release.
 *
 * @param path   The web root.
 * @param dryRun Only say which release it would switch to.
 */
export function rollbackDir(path: string, dryRun = false): Promise<{ release: string; from: string }> {
  return rollbackRelease(localReleaseHost(resolve(path)), dryRun);
}
