import { resolve } from 'node:path';
import { compareTrees, hashTree, type Changes } from './changes.js';
import { localReleaseHost, sshReleaseHost, type ReleaseHost } from './release-host.js';
import { publishRelease, rollbackRelease, type ReleaseReport } from './release-publish.js';
import { assertCommandValues, rsyncDestinationProblem, sshCommandProblem } from './command-values.js';
import { run } from './run.js';

/** A parsed rsync destination: a local folder, or a folder on an SSH host. */
interface Destination {
  /** `user@host`, for a remote destination. */
  host?: string;
  path: string;
}

/**
 * Splits `user@host:/path` from a local path (a path with a `/` before any
 * `:` is local, as rsync reads it).
 *
 * @param destination The configured destination.
 */
function parseDestination(destination: string): Destination {
  const match = /^([^/:]+):(.+)$/.exec(destination);
  return match ? { host: match[1], path: match[2]! } : { path: resolve(destination) };
}

function hostFor(destination: Destination, ssh: string[]): ReleaseHost {
  return destination.host ? sshReleaseHost(destination.host, destination.path, ssh) : localReleaseHost(destination.path);
}

/** The rsync address of a folder under the destination. */
function address(destination: Destination, sub: string): string {
  return `${destination.host ? `${destination.host}:` : ''}${destination.path}/${sub}`;
}

/**
 * Parses `rsync --itemize-changes` output into changes: `>f+++++++++ a` (or
 * `<f…` when sending to a remote) is added, another `f` line is changed,
 * `*deleting a` is removed; folders are left out.
 *
 * @param output What rsync printed.
 */
export function parseItemized(output: string): Changes {
  const changes: Changes = { added: [], changed: [], removed: [] };
  for (const line of output.split('\n')) {
    const deleted = /^\*deleting\s+(.+)$/.exec(line);
    if (deleted?.[1] && !deleted[1].endsWith('/')) changes.removed.push(deleted[1]);
    const file = /^[<>]f(\S+) (.+)$/.exec(line);
    if (file?.[2]) (file[1]!.startsWith('+++') ? changes.added : changes.changed).push(file[2]);
  }
  for (const list of Object.values(changes)) list.sort();
  return changes;
}

/**
 * Publishes `blog` with rsync into a new release folder of a local path or
 * an SSH destination, unchanged files hard-linked from the live release
 * (`--link-dest`), then switches `current` to it.
 *
 * @param blog        The folder to publish (`dist/blog`).
 * @param destination `path` or `user@host:/path`.
 * @param ssh         The SSH command.
 * @param keep        Releases to keep.
 * @param dryRun      Work out the changes only.
 */
export async function publishRsync(blog: string, destination: string, ssh: string, keep: number, dryRun: boolean): Promise<ReleaseReport> {
  assertCommandValues({ destination: rsyncDestinationProblem(destination), ssh: sshCommandProblem(ssh) });
  const target = parseDestination(destination);
  const sshWords = ssh.split(/\s+/).filter(Boolean);
  const base = ['-a', '--delete', '-e', ssh];
  return publishRelease(
    hostFor(target, sshWords),
    {
      async changes(current) {
        if (!current) return compareTrees(new Map(), await hashTree(blog));
        const { stdout } = await run('rsync', [...base, '--dry-run', '--checksum', '--itemize-changes', '--', `${blog}/`, `${address(target, 'current')}/`]);
        return parseItemized(stdout);
      },
      async upload(staging, current) {
        const linkDest = current ? ['--link-dest=../../current/'] : [];
        await run('rsync', [...base, ...linkDest, '--mkpath', '--', `${blog}/`, `${address(target, `releases/${staging}`)}/`]);
      },
    },
    keep,
    dryRun,
  );
}

/**
 * Switches an rsync destination back to its previous release.
 *
 * @param destination `path` or `user@host:/path`.
 * @param ssh         The SSH command.
 * @param dryRun      Only say which release it would switch to.
 */
export async function rollbackRsync(destination: string, ssh: string, dryRun = false): Promise<{ release: string; from: string }> {
  assertCommandValues({ destination: rsyncDestinationProblem(destination), ssh: sshCommandProblem(ssh) });
  return rollbackRelease(hostFor(parseDestination(destination), ssh.split(/\s+/).filter(Boolean)), dryRun);
}
