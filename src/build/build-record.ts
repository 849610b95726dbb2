import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** How the last build into one output folder ended, kept outside that folder. */
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

/** Every output folder's last build, by the folder's absolute path. */
type BuildRecords = Record<string, BuildRecord>;

async function readRecords(root: string): Promise<BuildRecords> {
  const text = await readFile(buildRecordPath(root), 'utf8').catch(() => undefined);
  try {
    return text === undefined ? {} : (JSON.parse(text) as BuildRecords);
  } catch {
    return {};
  }
}

/**
 * Records how the last build into an output folder ended, for `sahifa
 * publish` to refuse a failed one. It lives outside `dist/` because a failed
 * build leaves `dist/` as the previous good build left it; it is kept per
 * output folder, so that a failed `sahifa dev` build does not stop
 * publishing a good `dist/`.
 *
 * @param root   The site root.
 * @param record How it ended.
 */
export async function writeBuildRecord(root: string, record: BuildRecord): Promise<void> {
  const path = buildRecordPath(root);
  const records = await readRecords(root);
  records[record.outDir] = record;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(records, null, 2)}\n`);
}

/**
 * The record of the last build into an output folder, if there was one.
 *
 * @param root   The site root.
 * @param outDir The output folder's absolute path.
 */
export async function readBuildRecord(root: string, outDir: string): Promise<BuildRecord | undefined> {
  return (await readRecords(root))[outDir];
}
