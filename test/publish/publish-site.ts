import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, readlink, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from '../../src/pipeline/build.js';
import { CONFIG_JSON, GOOD_POST, makeSite } from '../helpers/site.js';

/** The post every small site holds. */
export const POST = 'posts/2025-01-01-hello.md';

/**
 * A small site with the given publish targets (JSON text written with two-space indents, so a
 * key's line and column are predictable), built unless `built` is false.
 *
 * @param targets Publish targets by name.
 * @param built   Whether to build it.
 */
export async function smallSite(targets: Record<string, unknown>, built = true): Promise<string> {
  const config = { ...(JSON.parse(CONFIG_JSON) as Record<string, unknown>), publish: { targets } };
  const root = await makeSite({ 'sahifa.config.json': JSON.stringify(config, null, 2), [POST]: GOOD_POST });
  if (built) await build({ root });
  return root;
}

/**
 * Replaces a site's publish targets (the build stays as it was).
 *
 * @param root    The site.
 * @param targets Publish targets by name.
 */
export async function setTargets(root: string, targets: Record<string, unknown>): Promise<void> {
  const config = { ...(JSON.parse(CONFIG_JSON) as Record<string, unknown>), publish: { targets } };
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify(config, null, 2));
}

/**
 * Marks a source file as changed after the last build: its modification time is set past the
 * build's manifest (file times are coarser than the time between two steps of a test), and never
 * ahead of the clock, so that the next build is newer again.
 *
 * @param root The site.
 * @param path The source, relative to the site.
 */
export async function touchAfterBuild(root: string, path: string): Promise<void> {
  const built = (await stat(join(root, 'dist', '.sahifa-output'))).mtimeMs;
  const later = new Date(Math.max(Date.now(), built + 1));
  await utimes(join(root, path), later, later);
}

/** A new empty folder outside every site. */
export function outside(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sahifa-${prefix}-`));
}

/**
 * Everything under a folder without following links: each file's SHA-256, each link's target,
 * each folder, and the modification time of all, to show that nothing at all changed.
 *
 * @param folder The folder (missing: an empty state).
 */
export async function treeState(folder: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  if (!(await lstat(folder).catch(() => undefined))) return state;
  const entries = await readdir(folder, { recursive: true });
  for (const name of [...entries, '.'].sort()) {
    const path = join(folder, name);
    const info = await lstat(path);
    const key = relative(folder, path) || '.';
    if (info.isSymbolicLink()) state[key] = `link → ${await readlink(path)}`;
    else if (info.isDirectory()) state[key] = `folder ${info.mtimeMs}`;
    else state[key] = `${createHash('sha256').update(await readFile(path)).digest('hex')} ${info.mtimeMs}`;
  }
  return state;
}

/** Runs git, returning what it printed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** A new bare git repository to publish into. */
export async function bareRemote(): Promise<string> {
  const remote = await outside('remote');
  git(remote, 'init', '--quiet', '--bare');
  return remote;
}

/**
 * An executable script that, when anything runs it, creates `marker`: the proof that an injected
 * command ran.
 *
 * @param folder Where to put the script.
 * @param marker The file it creates.
 */
export async function markerScript(folder: string, marker: string): Promise<string> {
  const script = join(folder, 'evil.sh');
  await writeFile(script, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
  return script;
}
