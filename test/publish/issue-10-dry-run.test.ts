import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { publish, rollback } from '../../src/publish/publish.js';
import { sahifa } from '../helpers/cli.js';
import { bareRemote, outside, POST, smallSite, touchAfterBuild, treeState } from './publish-site.js';

/**
 * A stand-in for the `ssh` program (there is no SSH server on the test machine): it drops ssh's
 * options and the host and runs the remote command here with sh, as sshd would. rsync and the
 * release switch run for real through it.
 */
async function localSsh(): Promise<string> {
  const script = join(await outside('ssh'), 'ssh');
  await writeFile(
    script,
    '#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case "$1" in\n    --) shift; break;;\n    -p|-i|-l|-o) shift 2;;\n    -*) shift;;\n    *) break;;\n  esac\ndone\nshift\nexec sh -c "$*"\n',
    { mode: 0o755 },
  );
  return script;
}

/** Every target type, each with the folder that holds everything it has published. */
const TARGETS: Record<string, () => Promise<{ target: Record<string, unknown>; place: string }>> = {
  git: async () => {
    const remote = await bareRemote();
    return { target: { type: 'git', remote }, place: remote };
  },
  dir: async () => {
    const place = join(await outside('dir'), 'www');
    return { target: { type: 'dir', path: place }, place };
  },
  rsync: async () => {
    const place = join(await outside('rsync'), 'www');
    return { target: { type: 'rsync', destination: place }, place };
  },
  'rsync over ssh': async () => {
    const place = join(await outside('rsync-ssh'), 'www');
    return { target: { type: 'rsync', destination: `deploy@localhost:${place}`, ssh: `${await localSsh()} -p 2222` }, place };
  },
};

async function edit(root: string, text: string): Promise<void> {
  await writeFile(join(root, POST), `${await readFile(join(root, POST), 'utf8')}\n${text}\n`);
}

describe('issue 10: every --dry-run changes nothing, anywhere', () => {
  for (const [name, make] of Object.entries(TARGETS)) {
    it(`${name}: publish and rollback under --dry-run leave the target, dist/ and .sahifa/ exactly as they were`, async () => {
      const { target, place } = await make();
      const root = await smallSite({ site: target });
      // Nothing published yet: a dry run creates nothing at the target.
      expect((await publish({ root, dryRun: true })).changes.added).toContain('index.html');
      expect(await treeState(place)).toEqual(target.type === 'git' ? await treeState(place) : {});
      await publish({ root });
      await edit(root, 'تحديث أول.');
      await build({ root });
      await publish({ root });
      await edit(root, 'تحديث ثانٍ.');
      await build({ root });

      const site = await treeState(root);
      const published = await treeState(place);
      const dry = await publish({ root, dryRun: true });
      expect(dry.changed).toBe(false);
      expect(dry.changes.changed).toContain('hello/index.html');
      if (target.type === 'git') {
        await expect(rollback({ root, dryRun: true })).rejects.toThrow('is a git target');
      } else {
        const back = await rollback({ root, dryRun: true });
        expect(back.release < back.from).toBe(true);
      }
      // A stale build under --dry-run: reported, not rebuilt.
      await edit(root, 'تحديث لم يُبنَ.');
      await touchAfterBuild(root, POST);
      const editedSite = await treeState(root);
      const stale = await publish({ root, dryRun: true });
      expect(stale.stale?.path).toBe(POST);
      expect(await treeState(root)).toEqual(editedSite);
      delete editedSite[POST];
      delete site[POST];
      expect(editedSite).toEqual(site);
      expect(await treeState(place)).toEqual(published);
    });
  }

  it('says so in the command, for publish and rollback', async () => {
    const place = join(await outside('dir'), 'www');
    const root = await smallSite({ site: { type: 'dir', path: place } });
    await publish({ root });
    await edit(root, 'تحديث.');
    await build({ root });
    await publish({ root });
    const before = await treeState(place);
    const result = await sahifa(['publish', '--root', root, '--rollback', '--dry-run']);
    expect(result.stdout).toMatch(/^Dry run for site: would roll back to \d{8}T\d{9}-[0-9a-f]{4} \(now \d{8}T\d{9}-[0-9a-f]{4}\); nothing was changed\n$/);
    expect(result.status).toBe(0);
    expect(await treeState(place)).toEqual(before);
  });
});
