import { releaseName, stagingName, type ReleaseHost } from './release-host.js';
import { isEmpty, type Changes } from './changes.js';

/** What a release-based publish did, or would do. */
export interface ReleaseReport {
  changes: Changes;
  /** The release now live (or that would be). */
  release?: string;
  /** The release that was live before. */
  previous?: string;
  /** Old releases deleted. */
  pruned: string[];
  /** Nothing was changed at the destination (a dry run, or nothing new). */
  unchanged: boolean;
}

/** How the files reach a new release folder, and how the changes are worked out. */
export interface Uploader {
  /** What publishing would add, change and remove against the live release. */
  changes(current: string | undefined): Promise<Changes>;
  /** Copies the blog into the staging folder of a new release. */
  upload(staging: string, current: string | undefined): Promise<void>;
}

/**
 * Publishes into a release layout: works out the changes against the live
 * release, uploads into a dot-named staging folder, renames it into
 * `releases/`, switches `current` to it in one rename, then deletes all but
 * the newest `keep` releases. A publish killed at any step leaves `current`
 * pointing at a whole release, the old one until the switch, the new one
 * after; its leftover staging folder is cleared by the next publish.
 *
 * @param host     The destination.
 * @param uploader How files get there.
 * @param keep     Releases to keep.
 * @param dryRun   Work out the changes only.
 */
export async function publishRelease(host: ReleaseHost, uploader: Uploader, keep: number, dryRun: boolean): Promise<ReleaseReport> {
  const previous = await host.current();
  const changes = await uploader.changes(previous);
  if (dryRun || (previous && isEmpty(changes))) return { changes, release: previous, previous, pruned: [], unchanged: true };
  await host.clearStaging();
  const release = releaseName();
  await uploader.upload(stagingName(release), previous);
  await host.promote(stagingName(release), release);
  await host.switchTo(release);
  const releases = await host.releases();
  const pruned = releases.slice(0, Math.max(0, releases.length - keep)).filter((name) => name !== release);
  for (const name of pruned) await host.remove(name);
  return { changes, release, previous, pruned, unchanged: false };
}

/**
 * Points `current` back at the release before it.
 *
 * @param host   The destination.
 * @param dryRun Work out which release it would be, and change nothing.
 * @returns The release now live (or that would be) and the one it replaced.
 */
export async function rollbackRelease(host: ReleaseHost, dryRun = false): Promise<{ release: string; from: string }> {
  const current = await host.current();
  const releases = await host.releases();
  const index = current ? releases.indexOf(current) : -1;
  const before = index > 0 ? releases[index - 1] : undefined;
  if (!current || !before) throw new Error(`there is no earlier release to roll back to at ${host.where}`);
  if (!dryRun) await host.switchTo(before);
  return { release: before, from: current };
}
