import { mkdir, mkdtemp, rename, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { build } from '../../src/pipeline/build.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

/** The build's messages, paths relative to the site, or '' when it succeeded. */
async function messagesOf(root: string): Promise<string> {
  const error = await build({ root, out: join(root, 'dist') }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error === undefined) return '';
  expect(error).toBeInstanceOf(BuildFailure);
  return (error as BuildFailure).messages.map((message) => formatMessage(message, { cwd: root })).join('\n');
}

/** A secret outside every site, which no post may lead to. */
async function secretOutside(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'sahifa-secret-'));
  await writeFile(join(folder, 'secret.md'), GOOD_POST.replace('مرحبا', 'سر خارج الموقع'));
  return folder;
}

// Posts are read with one open that follows no link (issue 13: no realpath per post); links must still be checked.
describe('issue 13: posts read without a realpath each still never follow a link out of the site', () => {
  it('refuses a post that links out of the site and reads one that links inside it', async () => {
    const outside = await secretOutside();
    const root = await makeSite({ 'posts/good.md': GOOD_POST, 'drafts/kept.md': GOOD_POST.replace('مرحبا', 'مسودة محفوظة') });
    await symlink(join(outside, 'secret.md'), join(root, 'posts', 'leak.md'));
    expect(await messagesOf(root)).toMatch(/posts\/leak\.md.*symbolic link that leads out of the site.*\[post-link-outside\]/);

    await rename(join(root, 'posts', 'leak.md'), join(root, 'leak.md.off'));
    await symlink(join(root, 'drafts', 'kept.md'), join(root, 'posts', 'kept.md'));
    expect(await messagesOf(root)).toBe('');
  });

  it('refuses every post of a posts folder that is a link out of the site', async () => {
    const outside = await secretOutside();
    const root = await makeSite({ 'notes.txt': 'no posts folder of its own' });
    await symlink(outside, join(root, 'posts'));
    expect(await messagesOf(root)).toMatch(/secret\.md.*symbolic link that leads out of the site.*\[post-link-outside\]/);
  });

  it('reports a post that is a folder as unreadable, with its path', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    await mkdir(join(root, 'posts', 'odd.md'));
    expect(await messagesOf(root)).toMatch(/posts\/odd\.md.*cannot read this post \(EISDIR\).*\[post-unreadable\]/);
  });
});
