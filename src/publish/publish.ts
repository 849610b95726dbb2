import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../pipeline/build.js';
import { readBuildRecord, type EarlyPost } from '../pipeline/build-record.js';
import { buildFreshness, modifiedAt, type SourceChange } from '../pipeline/freshness.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import { loadConfig } from '../config/load-config.js';
import type { PublishTarget } from '../config/publish-schema.js';
import type { SiteConfig } from '../config/schema.js';
import type { Changes } from './changes.js';
import { lastGoodBuild } from './check-output.js';
import { targetSettingError } from './config-error.js';
import { publishDir, rollbackDir } from './dir-target.js';
import { publishGit } from './git-target.js';
import { overlapProblem } from './overlap.js';
import { publishRsync, rollbackRsync } from './rsync-target.js';
import { stageBlog } from './stage-blog.js';

/** Options of {@link publish}. */
export interface PublishOptions {
  root: string;
  /** Output folder (default `<root>/dist`). */
  out?: string;
  /** The target's name (default: `publish.default`, or the only target). */
  target?: string;
  /** Change nothing anywhere: not the target, not the output, not `.sahifa/`. */
  dryRun?: boolean;
  /** Publish posts dated after today too (by default a build holding them is rebuilt without them). */
  future?: boolean;
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
  /**
   * The source that changed after the build, when the build was stale: a
   * publish rebuilt first; a dry run did not, and its changes are those of
   * the old build.
   */
  stale?: SourceChange;
  /**
   * Posts the build held before their date (it was made with `--future` or
   * by `send --force`): a publish rebuilt without them; a dry run did not.
   */
  early?: EarlyPost[];
}

/** What a rollback did, or would do. */
export interface RollbackResult {
  target: string;
  /** The release live after the rollback. */
  release: string;
  /** The release it replaces. */
  from: string;
}

/** A path (`/srv/x`, `../x`) rather than an address with a host (`user@host:path`, `https://…`). */
function isLocalPath(value: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^[^/:]+:/.test(value);
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
 * The target with local paths resolved from the site root, refused (as a
 * config error at the key's line and column) when a local folder overlaps
 * the site, the output folder or a system folder.
 */
async function placedTarget<T extends PublishTarget>(root: string, outDir: string, name: string, target: T): Promise<T> {
  const [key, value] =
    target.type === 'git' ? (['remote', target.remote] as const) : target.type === 'rsync' ? (['destination', target.destination] as const) : (['path', target.path] as const);
  let fileUrl: string | undefined;
  try {
    fileUrl = /^file:\/\//i.test(value) ? fileURLToPath(value) : undefined;
  } catch {
    throw await targetSettingError(root, name, key, 'a file:// URL must name a local path, such as file:///srv/git/blog.git', 'config-invalid');
  }
  if (!isLocalPath(value) && !fileUrl) return target;
  const path = fileUrl ?? resolve(root, value);
  const problem = overlapProblem(path, root, outDir);
  if (problem) throw await targetSettingError(root, name, key, problem, 'publish-target-overlap');
  return fileUrl ? target : { ...target, [key]: path };
}

/** The target and output folder a command works on. */
async function resolveTarget(options: PublishOptions): Promise<{ root: string; outDir: string; name: string; target: PublishTarget }> {
  const root = resolve(options.root);
  const config = await loadConfig(root);
  const outDir = resolve(options.out ?? join(root, 'dist'));
  const [name, chosen] = chooseTarget(config, options.target);
  return { root, outDir, name, target: await placedTarget(root, outDir, name, chosen) };
}

/**
 * `sahifa publish`: puts the blog of the last build on its host — exactly
 * the files the build's manifest lists, each checked by hash — refusing a
 * failed, damaged or missing build. A build older than its sources (see
 * {@link buildFreshness}) is rebuilt first, and so is a build holding posts
 * dated after today unless `future` says to publish them; a dry run reports
 * either and writes nothing.
 *
 * @param options Site, target and dry run.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { root, outDir, name, target } = await resolveTarget(options);
  const dryRun = options.dryRun ?? false;
  const builtAt = await modifiedAt(join(outDir, OUTPUT_MARKER));
  const freshness = builtAt === 0 ? { stale: false } : await buildFreshness(root, builtAt);
  const stale = freshness.stale ? freshness.newest : undefined;
  const future = options.future ?? false;
  const early = future || builtAt === 0 ? [] : await earlyPosts(root, outDir);
  if ((stale || early.length > 0) && !dryRun) await build({ root, out: outDir, future });
  const reasons = { stale, ...(early.length > 0 ? { early } : {}) };
  const staged = await stageBlog(outDir, await lastGoodBuild(root, outDir));
  try {
    const blog = staged.folder;
    if (target.type === 'git') {
      const report = await publishGit(blog, target, dryRun);
      return { target: name, type: target.type, changes: report.changes, changed: report.commit !== undefined, version: report.commit, ...reasons };
    }
    const report =
      target.type === 'dir'
        ? await publishDir(blog, target.path, target.keep, dryRun)
        : await publishRsync(blog, target.destination, target.ssh, target.keep, dryRun);
    return { target: name, type: target.type, changes: report.changes, changed: !report.unchanged, version: report.release, ...reasons };
  } finally {
    await staged.dispose();
  }
}

/** The posts a good last build holds whose date has still not come (an unreadable record is lastGoodBuild's to refuse). */
async function earlyPosts(root: string, outDir: string): Promise<EarlyPost[]> {
  const record = await readBuildRecord(root, outDir).catch(() => undefined);
  if (!record?.ok) return [];
  const now = Date.now();
  return (record.early ?? []).filter((post) => Date.parse(post.date) > now);
}

/**
 * `sahifa publish --rollback`: switches a release-based target back to its
 * previous release (under `dryRun`, only says which). A git target is rolled
 * back with git itself.
 *
 * @param options Site, target and dry run.
 */
export async function rollback(options: PublishOptions): Promise<RollbackResult> {
  const root = resolve(options.root);
  const [name, chosen] = chooseTarget(await loadConfig(root), options.target);
  if (chosen.type === 'git') throw new Error(`"${name}" is a git target: roll it back with git (git revert on the ${chosen.branch} branch)`);
  const target = await placedTarget(root, resolve(options.out ?? join(root, 'dist')), name, chosen);
  const dryRun = options.dryRun ?? false;
  const result = target.type === 'dir' ? await rollbackDir(target.path, dryRun) : await rollbackRsync(target.destination, target.ssh, dryRun);
  return { target: name, ...result };
}
