import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTrees, hashTree, isEmpty, postSlugs, type Changes } from './changes.js';
import { assertCommandValues, cnameProblem, gitBranchProblem, gitRemoteProblem } from './command-values.js';
import { run } from './run.js';

/** Settings of a git target. */
export interface GitTarget {
  remote: string;
  branch: string;
  cname?: string;
}

/** What a git publish did, or would do. */
export interface GitReport {
  changes: Changes;
  /** The new commit, when one was made and pushed. */
  commit?: string;
  /** The commit message. */
  message?: string;
}

/**
 * The commit message: the posts added and changed by slug, and the count of
 * files.
 *
 * @param changes What the publish changes.
 */
export function commitMessage(changes: Changes): string {
  const added = postSlugs(changes.added);
  const changed = postSlugs(changes.changed);
  const parts = [added.length ? `add ${added.join(', ')}` : '', changed.length ? `update ${changed.join(', ')}` : ''].filter(Boolean);
  const files = `${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed files`;
  return `Publish: ${parts.length ? parts.join('; ') : 'site files'}\n\n${files}.\n`;
}

/**
 * Publishes `blog` as the whole content of a branch: clones the branch into
 * a temporary folder (or starts it, when the remote does not have it yet),
 * replaces everything but `.git` with the blog, a `.nojekyll` (so GitHub
 * Pages serves folders that start with `_`) and the `CNAME`, and makes one
 * commit and pushes it — or nothing at all when nothing changed.
 *
 * @param blog   The folder to publish (`dist/blog`).
 * @param target Remote, branch and CNAME.
 * @param dryRun Work out the changes only.
 */
export async function publishGit(blog: string, target: GitTarget, dryRun: boolean): Promise<GitReport> {
  assertCommandValues({
    remote: gitRemoteProblem(target.remote),
    branch: gitBranchProblem(target.branch),
    cname: target.cname === undefined ? undefined : cnameProblem(target.cname),
  });
  const work = await mkdtemp(join(tmpdir(), 'sahifa-publish-'));
  const git = (...args: string[]) => run('git', ['-c', 'core.autocrlf=false', ...args], work);
  try {
    const { stdout: heads } = await run('git', ['ls-remote', '--heads', '--', target.remote, `refs/heads/${target.branch}`]);
    if (heads.trim()) {
      await run('git', ['clone', '--quiet', '--no-tags', '--single-branch', '--depth', '1', `--branch=${target.branch}`, '--', target.remote, work]);
    } else {
      await git('init', '--quiet');
      await git('checkout', '--quiet', `--orphan=${target.branch}`);
      await git('remote', 'add', '--', 'origin', target.remote);
    }
    await git('config', 'core.autocrlf', 'false');
    const isSite = (map: Map<string, string>) => new Map([...map].filter(([path]) => !path.startsWith('.git/')));
    const before = isSite(await hashTree(work));
    for (const entry of await readdir(work)) if (entry !== '.git') await rm(join(work, entry), { recursive: true, force: true });
    await cp(blog, work, { recursive: true });
    await writeFile(join(work, '.nojekyll'), '');
    if (target.cname) await writeFile(join(work, 'CNAME'), `${target.cname}\n`);
    const changes = compareTrees(before, isSite(await hashTree(work)));
    if (dryRun || isEmpty(changes)) return { changes };
    await git('add', '--all');
    const message = commitMessage(changes);
    const { stdout: email } = await git('config', 'user.email').catch(() => ({ stdout: '' }));
    const identity = email.trim() ? [] : ['-c', 'user.name=sahifa', '-c', 'user.email=sahifa@localhost'];
    await run('git', [...identity, 'commit', '--quiet', '--message', message], work);
    await git('push', '--quiet', 'origin', `HEAD:refs/heads/${target.branch}`);
    const { stdout: commit } = await git('rev-parse', 'HEAD');
    return { changes, commit: commit.trim(), message };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
