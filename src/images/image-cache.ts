import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageOptions } from './options.js';
import { ENCODER_VERSION, type EncodedImage, type ProcessedImage } from './process-image.js';
import { SWEEP_EVERY_MS } from './prune-image-cache.js';

/** Bumped when what is cached, or how it is made, changes. */
const CACHE_FORMAT = 1;

/** What an entry's header says about each file that follows it. */
interface StoredFile extends Omit<EncodedImage, 'data'> {
  length: number;
  sha256: string;
}

interface Header extends Omit<ProcessedImage, 'files'> {
  key: string;
  files: StoredFile[];
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The key of a processed image: the source's bytes and everything that
 * changes the output (widths, formats, qualities, sharp's and libvips'
 * versions, the cache's own format).
 *
 * @param source  The source image's bytes.
 * @param options The image options.
 */
export function imageKey(source: Uint8Array, options: ImageOptions): string {
  const settings = JSON.stringify({ CACHE_FORMAT, ENCODER_VERSION, widths: options.widths, formats: options.formats, quality: options.quality });
  return createHash('sha256').update(sha256(source)).update('\0').update(settings).digest('hex');
}

/**
 * Processed images kept between builds, one file per source image (a JSON
 * header with each file's size and SHA-256, then the files), written to a
 * temporary name and renamed into place so that a reader never sees half an
 * entry. An entry that is damaged in any way reads as missing and is made
 * again.
 */
export class ImageCache {
  /**
   * @param dir      The cache folder (see `imageCacheDir`).
   * @param writable Whether {@link set} stores anything (a build that writes nothing only reads).
   */
  constructor(
    private readonly dir: string,
    private readonly writable = true,
  ) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.bin`);
  }

  /**
   * The entry for `key`, or `undefined` when there is none or it is damaged.
   *
   * @param key From {@link imageKey}.
   */
  async get(key: string): Promise<ProcessedImage | undefined> {
    const content = await readFile(this.path(key)).catch(() => undefined);
    if (!content || content.length < 4) return undefined;
    try {
      const headerLength = content.readUInt32BE(0);
      const header = JSON.parse(content.subarray(4, 4 + headerLength).toString('utf8')) as Header;
      if (header.key !== key || !Array.isArray(header.files)) return undefined;
      let offset = 4 + headerLength;
      const files: EncodedImage[] = [];
      for (const { length, sha256: hash, ...file } of header.files) {
        const data = content.subarray(offset, offset + length);
        if (data.length !== length || sha256(data) !== hash) return undefined;
        files.push({ ...file, data });
        offset += length;
      }
      if (offset !== content.length) return undefined;
      await this.markUsed(key);
      return { width: header.width, height: header.height, fallback: header.fallback, files };
    } catch {
      return undefined;
    }
  }

  /** Renews a sound entry's modification time, read by `pruneImageCache` as its last use (at most once a day; never by a build that writes nothing). */
  private async markUsed(key: string): Promise<void> {
    if (!this.writable) return;
    const path = this.path(key);
    const info = await stat(path).catch(() => undefined);
    if (!info || info.mtimeMs > Date.now() - SWEEP_EVERY_MS) return;
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
  }

  /**
   * Stores an entry, replacing any other under the same key.
   *
   * @param key   From {@link imageKey}.
   * @param image The processed image.
   */
  async set(key: string, image: ProcessedImage): Promise<void> {
    if (!this.writable) return;
    const header: Header = {
      key,
      width: image.width,
      height: image.height,
      fallback: image.fallback,
      files: image.files.map(({ data, ...file }) => ({ ...file, length: data.length, sha256: sha256(data) })),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);
    const path = this.path(key);
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    try {
      await writeFile(temporary, Buffer.concat([length, headerBytes, ...image.files.map((file) => file.data)]));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
