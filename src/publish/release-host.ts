import { cp, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './run.js';

/** Release folders are named by time, so that their names sort in order. */
const RELEASE_NAME = /^\d{8}T\d{9}-[0-9a-f]{4}$/;

/**
 * A destination laid out for atomic releases:
 * `releases/<name>/` holds each published version, and `current` is a
 * symbolic link to one of them — the folder the web server serves. A
 * release is uploaded under a dot-name, renamed into place, and then
 * `current` is replaced by renaming a new link over it: the rename is the
 * one atomic step, so readers see the old site or the new one, never a mix.
 */
export interface ReleaseHost {
  /** Where the destination is, for messages. */
  readonly where: string;
  /** The release `current` points to, if any. */
  current(): Promise<string | undefined>;
  /** The releases, oldest first. */
  releases(): Promise<string[]>;
  /** Moves a finished upload from its staging name to its release name. */
  promote(staging: string, release: string): Promise<void>;
  /** Points `current` at a release, atomically. */
  switchTo(release: string): Promise<void>;
  /** Deletes a release. */
  remove(release: string): Promise<void>;
  /** Deletes uploads a killed publish left behind. */
  clearStaging(): Promise<void>;
}

/**
 * A new release's name: the time (UTC, to the millisecond) and a random suffix.
 *
 * @param now The clock.
 */
export function releaseName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.Z]/g, '');
  return `${stamp.slice(0, 8)}T${stamp.slice(9, 18)}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0')}`;
}

/** The staging name of a release being uploaded. */
export function stagingName(release: string): string {
  return `.staging-${release}`;
}

/**
 * A release layout in a local folder.
 *
 * @param root The destination folder (created when missing).
 */
export function localReleaseHost(root: string): ReleaseHost & { path(release: string): string; upload(source: string, staging: string): Promise<void> } {
  const releases = join(root, 'releases');
  return {
    where: root,
    path: (release) => join(releases, release),
    async upload(source, staging) {
      await mkdir(releases, { recursive: true });
      await cp(source, join(releases, staging), { recursive: true, errorOnExist: true, force: false });
    },
    async current() {
      const target = await readlink(join(root, 'current')).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        if (error.code === 'EINVAL') throw new Error(`${join(root, 'current')} is not a link that sahifa made: move it away first`);
        throw error;
      });
      return target?.replace(/^releases\//, '');
    },
    async releases() {
      return (await readdir(releases).catch(() => [] as string[])).filter((name) => RELEASE_NAME.test(name)).sort();
    },
    async promote(staging, release) {
      await rename(join(releases, staging), join(releases, release));
    },
    async switchTo(release) {
      const link = join(root, `.current-${release}`);
      await rm(link, { force: true });
      await symlink(`releases/${release}`, link);
      await rename(link, join(root, 'current'));
    },
    async remove(release) {
      if (!RELEASE_NAME.test(release)) throw new Error(`refusing to delete "${release}": not a release name`);
      await rm(join(releases, release), { recursive: true, force: true });
    },
    async clearStaging() {
      for (const name of await readdir(releases).catch(() => [] as string[])) {
        if (name.startsWith('.staging-')) await rm(join(releases, name), { recursive: true, force: true });
      }
    },
  };
}

/** Quotes a word for a POSIX shell on the remote side of SSH. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A release layout on a server reached by SSH (`user@host:/path`); the same
 * steps as {@link localReleaseHost}, run there with POSIX tools.
 *
 * @param host The SSH host (`user@host`).
 * @param root The destination folder on the host.
 * @param ssh  The SSH command, split into words (`['ssh', '-p', '2222']`).
 */
export function sshReleaseHost(host: string, root: string, ssh: string[]): ReleaseHost {
  const [program = 'ssh', ...options] = ssh;
  const remote = (script: string) => run(program, [...options, '--', host, script]);
  const dir = shellQuote(root);
  return {
    where: `${host}:${root}`,
    async current() {
      const { stdout } = await remote(`readlink ${dir}/current || true`);
      return stdout.trim().replace(/^releases\//, '') || undefined;
    },
    async releases() {
      const { stdout } = await remote(`ls -1 ${dir}/releases 2>/dev/null || true`);
      return stdout.split('\n').filter((name) => RELEASE_NAME.test(name)).sort();
    },
    async promote(staging, release) {
      await remote(`mv ${dir}/releases/${shellQuote(staging)} ${dir}/releases/${shellQuote(release)}`);
    },
    async switchTo(release) {
      const link = `${dir}/.current-${release}`;
      await remote(`ln -sfn releases/${shellQuote(release)} ${link} && mv -T ${link} ${dir}/current`);
    },
    async remove(release) {
      if (!RELEASE_NAME.test(release)) throw new Error(`refusing to delete "${release}": not a release name`);
      await remote(`rm -rf ${dir}/releases/${shellQuote(release)}`);
    },
    async clearStaging() {
      await remote(`rm -rf ${dir}/releases/.staging-*`);
    },
  };
}
