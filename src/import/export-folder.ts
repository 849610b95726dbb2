import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yauzl from 'yauzl';

/** Largest file read out of an export (a zip bomb stops here). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Largest total read out of one export. */
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/** The files of an export, whether a zip or the folder it was unpacked into, by `/`-separated name. */
export interface ExportFiles {
  /** Every file's name, e.g. `posts.csv`, `posts/1234.my-post.html`. */
  names: string[];
  /** A file's bytes, or `undefined` when there is no such file. */
  read(name: string): Promise<Buffer | undefined>;
}

/**
 * Opens an export given as a `.zip` file or as a folder. Names are never
 * used as paths to write to; reading from a folder stays inside it (a name
 * that climbs out, or a symbolic link that leads out, reads as missing), and
 * reading from a zip refuses entries larger than 64 MiB or a total over 1 GiB.
 *
 * @param path The zip file or folder.
 * @param what What it should be, for messages.
 * @throws {Error} one line naming the path when it is neither, or a broken zip.
 */
export async function openExport(path: string, what: string): Promise<ExportFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}): give the path of ${what}`);
  }
  return info.isDirectory() ? openFolder(path) : openZip(path, what);
}

async function openFolder(path: string): Promise<ExportFiles> {
  const root = await realpath(path);
  const names = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
  return {
    names,
    async read(name) {
      if (!names.includes(name)) return undefined;
      const real = await realpath(join(root, ...name.split('/'))).catch(() => undefined);
      return real?.startsWith(root + sep) ? readFile(real) : undefined;
    },
  };
}

async function openZip(path: string, what: string): Promise<ExportFiles> {
  const files = new Map<string, Buffer>();
  let total = 0;
  try {
    const zip = await yauzl.openPromise(path, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.endsWith('/')) continue;
        if (entry.uncompressedSize > MAX_FILE_BYTES || (total += entry.uncompressedSize) > MAX_TOTAL_BYTES) {
          throw new Error(`${entry.fileName} is ${entry.uncompressedSize} bytes unpacked, more than an export holds`);
        }
        const stream = await zip.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
      }
    } finally {
      zip.close();
    }
  } catch (error) {
    throw new Error(`${path}: cannot read this zip (${(error as Error).message}); give ${what}, or the folder it unpacks to`);
  }
  return { names: [...files.keys()], read: async (name) => files.get(name) };
}
