import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { overlapProblem } from '../../src/publish/overlap.js';
import { publish, rollback } from '../../src/publish/publish.js';
import { sahifa } from '../helpers/cli.js';
import { outside, setTargets, smallSite, treeState } from './publish-site.js';

/** The config error a publish into `target` fails with, checked to be one at the key's place. */
async function refusal(run: () => Promise<unknown>, key: string): Promise<string> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BuildFailure);
  const [message] = (error as BuildFailure).messages;
  expect(message?.ruleId).toBe('publish-target-overlap');
  expect(message?.file).toMatch(/sahifa\.config\.json$/);
  expect(message?.line).toBeGreaterThan(1);
  expect(String(message?.reason)).toContain(`\`publish.targets.site.${key}\``);
  return String(message?.reason);
}

describe('issue 9: a local target may not overlap the site, the output or a system folder', () => {
  it('refuses system folders, the home folder and its parents, for dir, rsync and git, under publish, --dry-run and --rollback', async () => {
    const root = await smallSite({});
    const before = await treeState(root);
    for (const path of ['/', '/usr', '/etc', '/var', '/tmp', '/usr/../etc', homedir(), dirname(homedir()), '//']) {
      for (const [key, target] of [
        ['path', { type: 'dir', path }],
        ['destination', { type: 'rsync', destination: path }],
        ['remote', { type: 'git', remote: path }],
      ] as const) {
        await setTargets(root, { site: target });
        const runs: Array<() => Promise<unknown>> = [() => publish({ root }), () => publish({ root, dryRun: true })];
        // A git target has no rollback of its own (it says so before looking at the remote).
        if (target.type !== 'git') runs.push(() => rollback({ root, dryRun: true }), () => rollback({ root }));
        for (const run of runs) {
          expect(await refusal(run, key)).toMatch(/is a system folder|is your home folder or holds it|holds the site/);
        }
      }
    }
    await setTargets(root, {});
    const after = await treeState(root);
    delete before['sahifa.config.json'];
    delete after['sahifa.config.json'];
    expect(after).toEqual(before);
  });

  it('refuses a target inside the site or the output folder, and one that holds either, in both directions and through links', async () => {
    const base = await outside('overlap');
    const root = join(base, 'site');
    await mkdir(root);
    const made = await smallSite({});
    await import('node:fs/promises').then(({ cp }) => cp(made, root, { recursive: true }));
    const out = join(base, 'elsewhere', 'out');
    await build({ root, out });
    await symlink(join(root, 'dist'), join(base, 'link-to-dist'));
    const cases: Array<[string, RegExp]> = [
      ['dist/www', /is inside the output folder .*dist, which the next build deletes: publish outside it/],
      ['dist', /is inside the output folder/],
      ['www', /is inside the site .*site: publish outside the site folder, such as .*www/],
      ['.', /is inside the site/],
      [base, /holds the output folder|holds the site/],
      ['..', /holds the output folder|holds the site/],
      [join(base, 'link-to-dist', 'www'), /is inside the output folder/],
    ];
    for (const [path, expected] of cases) {
      for (const [key, target] of [
        ['path', { type: 'dir', path }],
        ['destination', { type: 'rsync', destination: path }],
      ] as const) {
        await setTargets(root, { site: target });
        expect(await refusal(() => publish({ root }), key)).toMatch(expected);
        expect(await refusal(() => rollback({ root }), key)).toMatch(expected);
      }
    }
    await setTargets(root, { site: { type: 'git', remote: `file://${join(root, 'dist', 'site.git')}` } });
    expect(await refusal(() => publish({ root, dryRun: true }), 'remote')).toMatch(/is inside the output folder/);
    // An --out folder elsewhere counts as the output folder too.
    for (const path of [join(out, 'www'), dirname(out)]) {
      await setTargets(root, { site: { type: 'dir', path } });
      expect(await refusal(() => publish({ root, out }), 'path')).toMatch(/output folder/);
    }
    expect(existsSync(join(root, 'www'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'www'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'releases'))).toBe(false);
    expect(existsSync(join(base, 'releases'))).toBe(false);
  });

  it('prints the refusal as one config error at the key, in the command', async () => {
    const root = await smallSite({});
    await setTargets(root, { site: { type: 'dir', path: '/' } });
    const result = await sahifa(['publish', '--root', root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^\S*sahifa\.config\.json:\d+:\d+: error `publish\.targets\.site\.path`: \/ is a system folder: publish into a folder of its own, such as \/var\/www\/blog \[publish-target-overlap\]\n$/);
  });

  it('accepts a folder of its own beside the site', () => {
    expect(overlapProblem('/var/www/blog', '/home/me/site', '/home/me/site/dist', '/home/me')).toBeUndefined();
    expect(overlapProblem('/home/me/www', '/home/me/site', '/home/me/site/dist', '/home/me')).toBeUndefined();
    expect(overlapProblem('/home/me/site-www', '/home/me/site', '/home/me/site/dist', '/home/me')).toBeUndefined();
  });
});
