import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, sahifa, type CliRun } from '../helpers/cli.js';
import { CONFIG_JSON, makeSite } from '../helpers/site.js';

const ELSEWHERE = 'or set "database" in sahifa.config.json to another file';
const isRoot = process.getuid?.() === 0;
/** Root ignores file permissions: the read-only cases run the CLI as `nobody` then. */
const canDropRoot = isRoot && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;
/** A read-only disk needs a private mount namespace (root in a container that allows it). */
const canMount = isRoot && spawnSync('unshare', ['--mount', 'sh', '-c', 'mount -t tmpfs none /mnt']).status === 0;

/** Runs a command line and collects its output. */
async function run(command: string, args: string[]): Promise<CliRun> {
  const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}

/** `sahifa …` as a user whom file permissions bind. */
function asUser(args: string[]): Promise<CliRun> {
  return canDropRoot ? run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]) : sahifa(args);
}

/** A site whose root everyone can read, as `nobody` must. */
async function site(): Promise<string> {
  const root = await makeSite({ 'sahifa.config.json': CONFIG_JSON });
  await chmod(root, 0o755);
  return root;
}

/** The one-line error every case must end with: the file, what to do, no stack trace. */
function expectOneLine(result: CliRun, line: string) {
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`error: ${line}\n`);
}

describe('issue 10: a database that cannot be used is named, with what to do, in one line', () => {
  it('refuses a text file where the database should be', async () => {
    const root = await site();
    const path = join(root, '.sahifa', 'sahifa.db');
    await mkdir(join(root, '.sahifa'));
    await writeFile(path, 'these are my notes, not a database\n'.repeat(100));
    for (const args of [['subscribers', 'list'], ['subscribers', 'import', join(root, 'x.csv')]]) {
      expectOneLine(await sahifa([...args, '--root', root]), `${path} is not a sahifa database (file is not a database): move that file away, ${ELSEWHERE}`);
    }
  });

  it('refuses a folder where the database should be, and a file where its folder should be', async () => {
    const root = await site();
    const path = join(root, '.sahifa', 'sahifa.db');
    await mkdir(path, { recursive: true });
    expectOneLine(await sahifa(['subscribers', 'list', '--root', root]), `${path} is a folder, not a database file: set "database" in sahifa.config.json to another file`);

    const other = await makeSite({ 'sahifa.config.json': JSON.stringify({ ...JSON.parse(CONFIG_JSON), database: 'notes.txt/sahifa.db' }), 'notes.txt': 'notes' });
    const result = await sahifa(['subscribers', 'list', '--root', other]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: ${join(other, 'notes.txt').replaceAll('.', '\\.')} is not a folder \\([^\\n]+\\): set "database" in sahifa\\.config\\.json to another file\\n$`));
  });

  it.skipIf(isRoot && !canDropRoot)('refuses a read-only database file and a read-only folder', async () => {
    const root = await site();
    const folder = join(root, '.sahifa');
    const path = join(folder, 'sahifa.db');
    expect((await sahifa(['subscribers', 'add', 'reader@example.com', '--root', root])).status).toBe(0);
    await chmod(path, 0o444);
    await chmod(folder, 0o777);
    expectOneLine(
      await asUser(['subscribers', 'add', 'other@example.com', '--root', root]),
      `${path} cannot be written (attempt to write a readonly database): make the file and its folder writable (SQLite keeps -wal and -shm files beside it), ${ELSEWHERE}`,
    );

    const empty = await site();
    await mkdir(join(empty, '.sahifa'), { mode: 0o555 });
    await chmod(join(empty, '.sahifa'), 0o555);
    expectOneLine(
      await asUser(['subscribers', 'list', '--root', empty]),
      `${join(empty, '.sahifa', 'sahifa.db')} cannot be created or written: its folder ${join(empty, '.sahifa')} is read-only (a read-only disk, or its permissions; SQLite keeps -wal and -shm files beside the database): make it writable, ${ELSEWHERE}`,
    );
  });

  it.skipIf(!canMount)('refuses a database on a read-only disk', async () => {
    const root = await site();
    const folder = join(root, '.sahifa');
    await mkdir(folder);
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    const script = [
      `mount -t tmpfs none ${JSON.stringify(folder)}`,
      `${cli} subscribers add reader@example.com --root ${JSON.stringify(root)} >/dev/null`,
      `mount -o remount,ro ${JSON.stringify(folder)}`,
      `${cli} subscribers add other@example.com --root ${JSON.stringify(root)}`,
    ].join(' && ');
    const path = join(folder, 'sahifa.db');
    expectOneLine(
      await run('unshare', ['--mount', 'sh', '-c', script]),
      `${path} cannot be created or written: its folder ${folder} is read-only (a read-only disk, or its permissions; SQLite keeps -wal and -shm files beside the database): make it writable, ${ELSEWHERE}`,
    );
  });
});
