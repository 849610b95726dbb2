import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { gitRemoteProblem, rsyncDestinationProblem, sshCommandProblem } from '../../src/publish/command-values.js';
import { publishGit } from '../../src/publish/git-target.js';
import { publish, rollback } from '../../src/publish/publish.js';
import { publishRsync } from '../../src/publish/rsync-target.js';
import { sahifa } from '../helpers/cli.js';
import { bareRemote, markerScript, outside, setTargets, smallSite } from './publish-site.js';

/** A folder with an executable that creates `ran` when anything runs it. */
async function trap(): Promise<{ script: string; marker: string; folder: string }> {
  const folder = await outside('trap');
  const marker = join(folder, 'ran');
  return { script: await markerScript(folder, marker), marker, folder };
}

/** Hostile values for each key, given the trap script, and the key the error must name. */
function hostileTargets(script: string, folder: string): Array<[string, Record<string, unknown>]> {
  const remote = 'https://example.org/blog.git';
  return [
    ['remote', { type: 'git', remote: `--upload-pack=${script}` }],
    ['remote', { type: 'git', remote: `-u${script}` }],
    ['remote', { type: 'git', remote: `ext::${script}` }],
    ['remote', { type: 'git', remote: `ext::sh -c ${script}` }],
    ['remote', { type: 'git', remote: 'fd::3' }],
    ['remote', { type: 'git', remote: `transport::${folder}` }],
    ['remote', { type: 'git', remote: `ssh://-oProxyCommand=${script}/repo.git` }],
    ['remote', { type: 'git', remote: `-oProxyCommand=${script}:repo.git` }],
    ['remote', { type: 'git', remote: 'git@-oProxyCommand=x:repo.git' }],
    ['remote', { type: 'git', remote: `${folder}\n--upload-pack=${script}` }],
    ['remote', { type: 'git', remote: `gopher://example.org/blog.git` }],
    ['branch', { type: 'git', remote, branch: '--orphan' }],
    ['branch', { type: 'git', remote, branch: `--upload-pack=${script}` }],
    ['branch', { type: 'git', remote, branch: '-b' }],
    ['branch', { type: 'git', remote, branch: 'a..b' }],
    ['branch', { type: 'git', remote, branch: 'pages.lock' }],
    ['cname', { type: 'git', remote, cname: '-blog.example.org' }],
    ['cname', { type: 'git', remote, cname: 'blog.example.org\nX' }],
    ['destination', { type: 'rsync', destination: `-e${script}` }],
    ['destination', { type: 'rsync', destination: `--rsync-path=${script}` }],
    ['destination', { type: 'rsync', destination: `-oProxyCommand=${script}:/srv/www` }],
    ['destination', { type: 'rsync', destination: '-deploy@example.org:/srv/www' }],
    ['destination', { type: 'rsync', destination: 'deploy@example.org:/srv/www;touch x' }],
    ['destination', { type: 'rsync', destination: 'deploy@example.org:/srv/$(touch x)' }],
    ['destination', { type: 'rsync', destination: 'deploy@example.org:--rsync-path=x' }],
    ['destination', { type: 'rsync', destination: 'example.org::module/www' }],
    ['destination', { type: 'rsync', destination: 'rsync://example.org/module' }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -oProxyCommand=${script}` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -o ProxyCommand=${script}` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -o LocalCommand=${script} -o PermitLocalCommand=yes` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -o KnownHostsCommand=${script}` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -F ${folder}/config` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: 'ssh -J -oProxyCommand=x' }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `${script}x -p 22`.replace(/^\//, '') }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -p 22; ${script}` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: `ssh -p "22 -oProxyCommand=${script}"` }],
    ['ssh', { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh: 'ssh -p 0' }],
  ];
}

describe('issue 9: no value from the config reaches git, rsync or ssh as an option', () => {
  it('refuses every hostile remote, branch, cname, destination and ssh command as a config error at its key, and runs nothing, even under --dry-run', async () => {
    const { script, marker, folder } = await trap();
    const root = await smallSite({});
    for (const [key, target] of hostileTargets(script, folder)) {
      await setTargets(root, { evil: target });
      for (const run of [() => publish({ root, dryRun: true }), () => publish({ root }), () => rollback({ root, dryRun: true }), () => rollback({ root })]) {
        const error = await run().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, `${key}: ${JSON.stringify(target)}`).toBeInstanceOf(BuildFailure);
        const [message] = (error as BuildFailure).messages;
        expect(message?.reason).toContain(`\`publish.targets.evil.${key}\``);
        expect(message?.ruleId).toBe('config-invalid');
        expect(message?.line).toBeGreaterThan(1);
        expect(message?.column).toBeGreaterThan(1);
      }
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('prints the refusal as one config error line naming the key, and creates no marker (the CLI)', async () => {
    const { script, marker } = await trap();
    const root = await smallSite({});
    await setTargets(root, { evil: { type: 'git', remote: `--upload-pack=${script}` } });
    for (const args of [['--dry-run'], []]) {
      const result = await sahifa(['publish', '--root', root, ...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^\S*sahifa\.config\.json:\d+:\d+: error `publish\.targets\.evil\.remote`: the remote starts with "-", so git, rsync or ssh would read it as an option: write a path or address \[config-invalid\]\n$/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses the same values when the publish functions are called directly, before anything runs', async () => {
    const { script, marker, folder } = await trap();
    const blog = await outside('blog');
    const remote = await bareRemote();
    await expect(publishGit(blog, { remote: `--upload-pack=${script}`, branch: 'gh-pages' }, true)).rejects.toThrow('`remote`: the remote starts with "-"');
    await expect(publishGit(blog, { remote: `ext::${script}`, branch: 'gh-pages' }, true)).rejects.toThrow('"ext::" remotes are refused');
    await expect(publishGit(blog, { remote, branch: '--orphan' }, true)).rejects.toThrow('`branch`: expected a branch name');
    await expect(publishRsync(blog, `-e${script}`, 'ssh', 5, true)).rejects.toThrow('`destination`');
    await expect(publishRsync(blog, 'deploy@example.org:/srv/www', `ssh -oProxyCommand=${script}`, 5, true)).rejects.toThrow('the ssh setting "ProxyCommand" is not allowed here');
    await expect(publishRsync(blog, join(folder, 'www'), `ssh -o LocalCommand=${script}`, 5, true)).rejects.toThrow('`ssh`');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(folder, 'www'))).toBe(false);
  });

  it('accepts the usual remotes, destinations and ssh commands', () => {
    for (const remote of ['git@github.com:me/blog.git', 'https://github.com/me/blog.git', 'ssh://deploy@example.org:2222/srv/blog.git', '/srv/git/blog.git', '../blog.git', 'file:///srv/git/blog.git']) {
      expect(gitRemoteProblem(remote), remote).toBeUndefined();
    }
    for (const destination of ['deploy@example.org:/var/www/blog', 'example.org:www/blog', '/var/www/blog', 'www', 'deploy@example.org:/srv/مدونة', 'deploy@10.0.0.7:~/www']) {
      expect(rsyncDestinationProblem(destination), destination).toBeUndefined();
    }
    for (const ssh of ['ssh', 'ssh -p 2222', 'ssh -p2222 -i /home/me/.ssh/deploy -o StrictHostKeyChecking=accept-new', '/usr/bin/ssh -4 -C -l deploy -oBatchMode=yes']) {
      expect(sshCommandProblem(ssh), ssh).toBeUndefined();
    }
  });

  it('passes a value that only looks odd after "--", so git reads it as a path (defence behind the checks)', async () => {
    const { marker, folder } = await trap();
    // A local folder whose name holds "=" and "::" later on is a path, not an option or a helper.
    const remote = join(folder, 'a=b::c.git');
    await bareRemote().then((bare) => import('node:fs/promises').then(({ cp }) => cp(bare, remote, { recursive: true })));
    const blog = await outside('blog');
    const report = await publishGit(blog, { remote, branch: 'gh-pages' }, true);
    expect(report.changes.added).toEqual(['.nojekyll']);
    expect(existsSync(marker)).toBe(false);
  });
});
