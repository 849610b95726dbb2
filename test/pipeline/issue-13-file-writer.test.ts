import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { build } from '../../src/pipeline/build.js';
import { FILES_BEFORE_THREAD, FileWriter } from '../../src/pipeline/file-writer.js';
import { makeSite, REPO, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** A writer that hands every file to its thread, with room for `maxOutstandingBytes` waiting. */
const threaded = (maxOutstandingBytes = 64 * 1024 * 1024) => new FileWriter({ filesBeforeThread: 0, maxOutstandingBytes });

describe('issue 13: the output is written on a thread of its own past the first files', () => {
  it('writes every file, folders and nested folders included, in order (a path written twice keeps the last)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = new FileWriter({ filesBeforeThread: 5, maxOutstandingBytes: 64 * 1024 * 1024 });
    const expected = new Map<string, string>();
    for (let n = 0; n < 300; n += 1) {
      const path = join(folder, 'blog', `post-${n % 40}`, n % 3 === 0 ? 'deep/er' : '', `${n}.html`);
      const text = `<p dir="rtl">مقال ${n} ‏</p>\n`.repeat(n % 7 + 1);
      await writer.write(path, n % 2 === 0 ? text : Buffer.from(text));
      expected.set(path, text);
    }
    await writer.write(join(folder, 'blog', 'post-0', '0.html'), 'the last bytes');
    expected.set(join(folder, 'blog', 'post-0', '0.html'), 'the last bytes');
    expect(writer.threaded).toBe(true);
    await writer.settled();
    for (const [path, text] of expected) expect(await readFile(path, 'utf8')).toBe(text);
    await writer.close();
  });

  it('writes the bytes given, even when the caller changes its buffer afterwards', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = threaded();
    const bytes = Buffer.from('before');
    await writer.write(join(folder, 'a.bin'), bytes);
    bytes.write('AFTER!');
    await writer.settled();
    expect(await readFile(join(folder, 'a.bin'), 'utf8')).toBe('before');
    await writer.close();
  });

  it('waits while more bytes than its bound are waiting to be written, and writes them all', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = threaded(32 * 1024);
    const page = 'ص'.repeat(10_000);
    for (let n = 0; n < 60; n += 1) await writer.write(join(folder, `p${n}`, 'index.html'), page + n);
    await writer.settled();
    expect((await readdir(folder)).length).toBe(60);
    expect(await readFile(join(folder, 'p59', 'index.html'), 'utf8')).toBe(page + 59);
    await writer.close();
  });

  it('fails with the file system\'s error and path, at the next write and when settling, and writes nothing after it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = threaded();
    await writer.write(join(folder, 'taken'), 'a file where a folder is wanted');
    await writer.write(join(folder, 'taken', 'index.html'), 'x');
    await writer.write(join(folder, 'after', 'index.html'), 'y').catch(() => undefined);
    const error = (await writer.settled().catch((thrown: unknown) => thrown)) as NodeJS.ErrnoException;
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ENOTDIR');
    expect(error.path).toBe(join(folder, 'taken', 'index.html'));
    await expect(writer.write(join(folder, 'later.html'), 'z')).rejects.toBe(error);
    await writer.close();
    expect((await readdir(folder)).sort()).toEqual(['taken']);
  });

  describe('a thread that cannot start, or stops, leaves its files to this one', () => {
    /** Writes 200 files in 50 folders through `writer` and checks every one. */
    async function writesAll(writer: FileWriter): Promise<void> {
      const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
      const expected = new Map<string, string>();
      for (let n = 0; n < 200; n += 1) {
        const path = join(folder, `post-${n % 50}`, `${n}.html`);
        expected.set(path, `<p>${n}</p>`.repeat(50));
        await writer.write(path, expected.get(path)!);
      }
      await writer.settled();
      for (const [path, text] of expected) expect(await readFile(path, 'utf8')).toBe(text);
      await writer.close();
    }
    const limits = { filesBeforeThread: 0, maxOutstandingBytes: 64 * 1024 * 1024 };

    it('one Node refuses to make', async () => {
      await writesAll(new FileWriter({ ...limits, startThread: () => { throw new Error('refused'); } }));
    });

    it('one that fails as it starts', async () => {
      await writesAll(new FileWriter({ ...limits, startThread: () => new Worker('throw new Error("no thread here")', { eval: true }) }));
    });

    it('one that dies after writing its first batch, with batches sent and unanswered', async () => {
      // The real protocol for one batch, then an exit before touching the second.
      const dying = `
        const { parentPort } = require('node:worker_threads');
        const { mkdirSync, writeFileSync } = require('node:fs');
        let batches = 0;
        parentPort.on('message', (batch) => {
          if ((batches += 1) > 1) process.exit(3);
          for (const op of batch.operations) {
            if ('file' in op) writeFileSync(op.file, op.content);
            else mkdirSync(op.folder, { recursive: true });
          }
          parentPort.postMessage({ id: batch.id });
        });`;
      await writesAll(new FileWriter({ ...limits, startThread: () => new Worker(dying, { eval: true }) }));
    });

    it('a build of more files than the first ones, run as `node --input-type=module -e`, whose flags a thread from a file refuses', async () => {
      const root = await makeSite(Object.fromEntries(Array.from({ length: 150 }, (_, n) => [`posts/p${n}.md`, `---\ntitle: "مقال ${n}"\ndate: 2025-01-01\nslug: p${n}\n---\n\nنص ${n}.\n`])));
      const script = `const { build } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'lib', 'pipeline', 'build.js')).href)}); const result = await build({ root: ${JSON.stringify(root)}, now: new Date('2026-01-01T00:00:00Z') }); console.log(result.pages);`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const written = await snapshot(join(root, 'dist'));
      expect(Object.keys(written).length).toBeGreaterThan(FILES_BEFORE_THREAD);
      await build({ root, out: join(root, 'again'), now: NOW, cache: false });
      expect(written).toEqual(await snapshot(join(root, 'again')));
    });
  });

  it('after close, writes nothing and starts no thread (an aborted build\'s late writes cannot remake its folder)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = threaded();
    await writer.write(join(folder, 'staging', 'blog', 'a', 'index.html'), 'a');
    await writer.close();
    await rm(join(folder, 'staging'), { recursive: true });
    await expect(writer.write(join(folder, 'staging', 'blog', 'b', 'index.html'), 'b')).rejects.toThrow('the output was closed');
    expect(writer.threaded).toBe(false);
    expect(await readdir(folder)).toEqual([]);
  });

  it('writes a file larger than a batch itself, after what came before it, and goes on through the thread', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = threaded();
    const big = 'ع'.repeat(3 * 1024 * 1024);
    await writer.write(join(folder, 'media', 'small.txt'), 'first');
    await writer.write(join(folder, 'media', 'big.txt'), 'small, soon replaced');
    await writer.write(join(folder, 'media', 'big.txt'), big);
    await writer.write(join(folder, 'media', 'after.txt'), 'after');
    expect(writer.threaded).toBe(true);
    await writer.settled();
    expect(await readFile(join(folder, 'media', 'big.txt'), 'utf8')).toBe(big);
    expect(await readFile(join(folder, 'media', 'after.txt'), 'utf8')).toBe('after');
    await writer.close();
  });

  it('a post that fails to render mid-way: the build reports its error, and no post still rendering writes after the output is thrown away', async () => {
    const post = (n: number) => `---\ntitle: "مقال ${n}"\ndate: 2025-01-01\nslug: p${n}\nauthor: ${n === 150 ? 'boom' : 'fine'}\n---\n\nنص ${n}.\n`;
    const template = (await readFile(join(REPO, 'templates', 'page', 'post.hbs'), 'utf8')).replace('{{> share}}', '{{> share}}\n{{> (lookup post "author")}}');
    const files = { 'templates/page/post.hbs': template, 'templates/page/partials/fine.hbs': '<p>—</p>', ...Object.fromEntries(Array.from({ length: 300 }, (_, n) => [`posts/p${n}.md`, post(n)])) };
    const root = await makeSite(files);
    const fails = async () => {
      const error = (await build({ root, now: NOW }).catch((thrown: unknown) => thrown)) as Error;
      expect(error).toBeInstanceOf(BuildFailure);
      expect((error as BuildFailure).messages.map((message) => message.reason)).toEqual([expect.stringContaining('The partial boom could not be found')]);
      // Let anything still going finish, then look for what it left.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    await fails();
    expect((await readdir(root)).filter((name) => name.startsWith('.dist'))).toEqual([]);
    expect(await readdir(root)).not.toContain('dist');

    // The same over an output the failed build was to update in place.
    await writeFile(join(root, 'posts', 'p150.md'), post(151).replace('slug: p151', 'slug: p150'));
    await build({ root, now: NOW });
    const before = await snapshot(join(root, 'dist'));
    await writeFile(join(root, 'posts', 'p150.md'), post(150));
    await writeFile(join(root, 'templates', 'page', 'partials', 'fine.hbs'), '<p>— —</p>');
    await fails();
    expect(await snapshot(join(root, 'dist'))).toEqual(before);
    expect((await readdir(join(root, 'dist'))).filter((name) => name.startsWith('.sahifa.'))).toEqual([]);
  });

  it('writes a small site without a thread', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-file-writer-'));
    const writer = new FileWriter();
    for (let n = 0; n < FILES_BEFORE_THREAD; n += 1) await writer.write(join(folder, `${n}.txt`), String(n));
    expect(writer.threaded).toBe(false);
    await writer.close();
  });

  it('a site large enough for the thread: the cold build and a rebuild after a settings change are byte for byte the build made in memory', async () => {
    const post = (n: number) => `---\ntitle: "مقال ${n}"\ndate: 2025-01-${String((n % 28) + 1).padStart(2, '0')}\nslug: p${n}\ntags: [وسم${n % 5}]\n---\n\nنص المقال رقم ${n}، مع [رابط](https://example.com/${n}).\n`;
    const root = await makeSite(Object.fromEntries(Array.from({ length: 300 }, (_, n) => [`posts/p${n}.md`, post(n)])));
    const onDisk = await build({ root, now: NOW });
    const files = await snapshot(join(root, 'dist'));
    expect(Object.keys(files).length).toBeGreaterThan(FILES_BEFORE_THREAD);
    const inMemory = await build({ root, now: NOW, write: false });
    const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');
    expect(files).toEqual(expect.objectContaining(Object.fromEntries([...inMemory.files].map(([path, content]) => [path, sha256(content)]))));
    expect(onDisk.pages).toBe(inMemory.pages);

    // Every page shows the site's title, so the update in place writes each of them again, through the thread.
    const config = join(root, 'sahifa.config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('موقع تجاربنا', 'موقع آخر'));
    await build({ root, now: NOW });
    await build({ root, out: join(root, 'clean'), now: NOW, cache: false });
    expect(await readFile(join(root, 'dist', 'blog', 'p7', 'index.html'), 'utf8')).toContain('موقع آخر');
    expect(await snapshot(join(root, 'dist'))).toEqual(await snapshot(join(root, 'clean')));
  });
});
