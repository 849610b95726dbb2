import { readFile } from 'node:fs/promises';
import { decodeCsv } from './csv-encoding.js';

/**
 * Reads a subscriber CSV file as text (see `decodeCsv` for the encodings).
 *
 * @param file The file's path, as given.
 * @throws {Error} one line naming the file and what to do: it is missing, a
 *   folder, unreadable, or in an encoding that is refused.
 */
export async function readCsvFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new Error(`${file} is a folder, not a CSV file: give the path of the file inside it`);
    if (code === 'ENOENT') throw new Error(`${file} does not exist: check the path (it is relative to the folder you run sahifa from)`);
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`${file} cannot be read (permission denied): make it readable, or copy it somewhere you can read`);
    throw new Error(`${file} cannot be read (${(error as Error).message})`);
  }
  return decodeCsv(bytes, file);
}
