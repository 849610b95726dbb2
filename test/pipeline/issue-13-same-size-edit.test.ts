import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { copyFixture } from '../helpers/site.js';

/** The same bytes with the case of one ASCII letter turned: the same size, other bytes. */
function sameSizeEdit(bytes: Buffer): Buffer {
  const edited = Buffer.from(bytes);
  const at = edited.findIndex((byte) => (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a));
  edited[at]! ^= 0x20;
  return edited;
}

describe('issue 13: an output file edited in place is put back by the next build', () => {
  it('rewrites a file changed to the same size (even with its time set back), and keeps one only touched', async () => {
    const root = await copyFixture('site-three-posts');
    const out = join(root, 'dist');
    await build({ root, out });
    const edited = join(out, 'blog', '404.html');
    const touched = join(out, 'blog', 'index.html');
    const built = { edited: await readFile(edited), touched: await readFile(touched) };
    const before = await stat(edited);

    // In place (same inode), the same size, the modification time set back as an editor or `cp -p` may do.
    await writeFile(edited, sameSizeEdit(built.edited));
    await utimes(edited, before.atime, before.mtime);
    expect((await stat(edited)).size).toBe(before.size);
    const now = new Date();
    await utimes(touched, now, now);
    const touchedInode = (await stat(touched)).ino;

    await build({ root, out });
    expect(await readFile(edited)).toEqual(built.edited);
    // Read and found to hold its bytes: left where it is, not written again.
    expect(await readFile(touched)).toEqual(built.touched);
    expect((await stat(touched)).ino).toBe(touchedInode);

    // And the build after that still has it right (the stamp is not taken from the edited file).
    await writeFile(edited, sameSizeEdit(built.edited));
    await build({ root, out });
    await build({ root, out });
    expect(await readFile(edited)).toEqual(built.edited);
  });
});
