import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { PublishTarget } from '../config/publish-schema.js';
import type { SiteConfig } from '../config/schema.js';
import type { Changes } from './changes.js';
import { publishableBlog } from './check-output.js';
import { publishDir, rollbackDir } from './dir-target.js';
import { publishGit } from './git-target.js';
import { publishRsync, rollbackRsync } from './rsync-target.js';

/** Options of {@link publish}. */
export interface PublishOptions {
  root: string;
  /** Output folder (default `<root>/dist`). */
  out?: string;
  /** The target's name (default: `publish.default`, or the only target). */
  target?: string;
  dryRun?: boolean;
}

/** What a publish did. */
export interface PublishResult {
  target: string;
  type: PublishTarget['type'];
  changes: Changes;
  /** False for a dry run or when nothing changed. */
  changed: boolean;
  /** The commit (git) or release (rsync, dir) now live. */
  version?: string;
}

/** An rsync destination with a local path resolved from the site root; `user@host:/path` as it is. */
function rsyncDestination(root: string, destination: string): string {
  return /^[^/:]+:/.test(destination) ? destination : resolve(root, destination);
}

/** The target to use, by name or default, with a message that lists the choices. */
function chooseTarget(config: SiteConfig, name: string | undefined): [string, PublishTarget] {
  const targets = config.publish?.targets ?? {};
  const names = Object.keys(targets);
  if (names.length === 0) throw new Error('sahifa.config.json has no "publish.targets": add one (see "sahifa publish" in the README)');
  const chosen = name ?? config.publish?.default ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen) throw new Error(`choose a target with --target: ${names.join(', ')} (or set "publish.default")`);
  const target = targets[chosen];
  if (!target) throw new Error(`there is no publish target "${chosen}": the targets are ${names.join(', ')}`);
  return [chosen, target];
}

/**
 * `sahifa publish`: puts `dist/blog` on its host, refusing a failed or
 * incomplete build.
 *
 * @param options Site, target and dry run.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const root = resolve(options.root);
  const config = await loadConfig(root);
  const [name, target] = chooseTarget(config, options.target);
  const blog = await publishableBlog(root, options.out);
  const dryRun = options.dryRun ?? false;
  if (target.type === 'git') {
    const report = await publishGit(blog, target, dryRun);
    return { target: name, type: target.type, changes: report.changes, changed: report.commit !== undefined, version: report.commit };
  }
  const report =
    target.type === 'dir'
      ? await publishDir(blog, resolve(root, target.path), target.keep, dryRun)
      : await publishRsync(blog, rsyncDestination(root, target.destination), target.ssh, target.keep, dryRun);
  return { target: name, type: target.type, changes: report.changes, changed: !report.unchanged, version: report.release };
}

/**
 * `sahifa publish --rollback`: switches a release-based target back to its
 * previous release. A git target is rolled back with git itself.
 *
 * @param options Site and target.
 */
export async function rollback(options: PublishOptions): Promise<{ target: string; release: string; from: string }> {
  const root = resolve(options.root);
  const config = await loadConfig(root);
  const [name, target] = chooseTarget(config, options.target);
  if (target.type === 'git') throw new Error(`"${name}" is a git target: roll it back with git (git revert on the ${target.branch} branch)`);
  const result =
    target.type === 'dir'
      ? await rollbackDir(resolve(root, target.path))
      : await rollbackRsync(rsyncDestination(root, target.destination), target.ssh);
  return { target: name, ...result };
}
