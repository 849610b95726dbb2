import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What the last build of a site left behind, kept outside the output folder. */
export interface BuildRecord {
  ok: boolean;
  /** When it finished (ISO 8601). */
  at: string;
  /** Absolute path of the output folder it wrote, or meant to write. */
  outDir: string;
  /** Errors found, when it failed. */
  errors?: number;
}

/** Where the record is kept: `<root>/.sahifa/last-build.json`. */
export function buildRecordPath(root: string): string {
  return join(root, '.sahifa', 'last-build.json');
}

/**
 * Records how the last build ended, for `sahifa publish` to refuse a failed
 * one. It lives outside `dist/` because a failed build leaves `dist/` as the
 * previous good build left it.
 *
 * @param root   The site root.
 * @param record How it ended.
 */
export async function writeBuildRecord(root: string, record: BuildRecord): Promise<void> {
  const path = buildRecordPath(root);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * The record of the last build, if there was one.
 *
 * @param root The site root.
 */
export async function readBuildRecord(root: string): Promise<BuildRecord | undefined> {
  const text = await readFile(buildRecordPath(root), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as BuildRecord);
}
