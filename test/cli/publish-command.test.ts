import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { REPO } from '../helpers/site.js';

describe('sahifa publish (the command, issue 5)', () => {
  it('lists the changes of a dry run, publishes, says when there is nothing new, and rolls back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sahifa-publish-cli-'));
    await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
    const www = join(await mkdtemp(join(tmpdir(), 'sahifa-web-')), 'www');
    const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, publish: { default: 'local', targets: { local: { type: 'dir', path: www }, pages: { type: 'git', remote: join(root, 'none.git') } } } }));

    expect((await sahifa(['publish', '--root', root])).stderr).toMatch(/^error: there is no build in .+dist: run sahifa build first\n$/);
    expect((await sahifa(['build', '--root', root])).status).toBe(0);
    const dry = await sahifa(['publish', '--root', root, '--dry-run']);
    expect(dry.stdout).toContain('+ russia-us-diplomatic-talks/index.html\n');
    expect(dry.stdout).toMatch(/Dry run for local \(dir\): would publish \d+ added, 0 changed, 0 removed; nothing was changed\n$/);
    const first = await sahifa(['publish', '--root', root]);
    expect(first.stdout).toMatch(/Published to local \(dir\): \d+ added, 0 changed, 0 removed → \d{8}T\d{9}-[0-9a-f]{4}\n$/);
    expect((await sahifa(['publish', '--root', root])).stdout).toBe('Nothing to publish to local (dir): it already has this build\n');
    const rollback = await sahifa(['publish', '--root', root, '--rollback']);
    expect(rollback.stderr).toMatch(/^error: there is no earlier release to roll back to at .+www\n$/);
    expect(rollback.status).toBe(1);
    expect((await sahifa(['publish', '--root', root, '--target', 'pages', '--rollback'])).stderr).toBe('error: "pages" is a git target: roll it back with git (git revert on the gh-pages branch)\n');
  });
});
