import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { leftBehind, literal } from '../system/left-behind.js';

/**
 * The value of a small cache file written by {@link writeKeyedJson}, when
 * it was written under the same `key`; `undefined` otherwise (no file,
 * another key, or text that does not parse). The caller checks the value's
 * shape.
 *
 * @param file The file.
 * @param key  What the value depends on (sahifa's code, a format, a digest…).
 */
export async function readKeyedJson(file: string, key: string): Promise<unknown> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; value?: unknown } | null;
    return stored?.key === key ? stored.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a small cache file: beside it under a name with this process's id,
 * then renamed into place, so a reader finds a whole file or the last one.
 * Such names left by a process that died mid-write are removed. A cache that
 * cannot be written costs only the next build's time, so failures are
 * ignored.
 *
 * @param file  The file.
 * @param key   What the value depends on ({@link readKeyedJson} gives it back only under the same key).
 * @param value Anything JSON can hold.
 */
export async function writeKeyedJson(file: string, key: string, value: unknown): Promise<void> {
  const folder = dirname(file);
  const staged = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(staged, JSON.stringify({ key, value }));
    await rename(staged, file);
    for (const name of leftBehind(await readdir(folder), new RegExp(`^${literal(basename(file))}\\.(\\d+)\\.tmp$`))) await rm(join(folder, name), { force: true });
  } catch {
    await rm(staged, { force: true }).catch(() => undefined);
  }
}
