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
  /**
   * Posts it holds before their date (built with `--future`, or by `send
   * --force`), so that `publish` does not ship them early by accident.
   */
  early?: EarlyPost[];
}

/** A post a build holds although it is dated after the build. */
export interface EarlyPost {
  slug: string;
  /** Its date (ISO 8601). */
  date: string;
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
 * @returns The record, or `undefined` when no build into `outDir` was recorded.
 * @throws {Error} when the record file cannot be read or is not what a build
 *   writes: an unreadable record never counts as a good build.
 */
export async function readBuildRecord(root: string, outDir: string): Promise<BuildRecord | undefined> {
  const path = buildRecordPath(root);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path} (${error.code ?? String(error)}), so the last build cannot be trusted: run sahifa build`);
  });
  if (text === undefined) return undefined;
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch {
    records = undefined;
  }
  const record = isObject(records) ? records[outDir] : undefined;
  if (!isObject(records) || (record !== undefined && !isRecord(record))) {
    throw new Error(`${path} is damaged, so the last build cannot be trusted: run sahifa build`);
  }
  return record;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is BuildRecord {
  return isObject(value) && typeof value.ok === 'boolean' && typeof value.at === 'string' && typeof value.outDir === 'string' && (value.early === undefined || isEarlyList(value.early));
}

function isEarlyList(value: unknown): value is EarlyPost[] {
  return Array.isArray(value) && value.every((item) => isObject(item) && typeof item.slug === 'string' && typeof item.date === 'string' && !Number.isNaN(Date.parse(item.date)));
}
