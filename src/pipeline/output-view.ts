import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmailMeta, RenderedEmail } from '../render/email/render-email.js';
import { insideFolder, recordOf, type OutputRecord, type OutputSink } from './write-atomically.js';

/**
 * The output of a build that writes nothing (`write: false`): files are
 * kept in memory, which is what such a build is for (tests, `check`).
 */
export class MemoryOutput implements OutputSink {
  /** Contents by path. */
  readonly files = new Map<string, string | Uint8Array>();
  private readonly records = new Map<string, OutputRecord>();

  /** The files written so far, by path. */
  get written(): ReadonlyMap<string, OutputRecord> {
    return this.records;
  }

  async write(path: string, content: string | Uint8Array): Promise<OutputRecord> {
    const record = recordOf(path, content);
    this.files.set(path, content);
    this.records.set(path, record);
    return record;
  }

  async reuse(): Promise<boolean> {
    return false;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const content = this.files.get(path);
    return typeof content === 'string' ? Buffer.from(content) : content;
  }
}

/**
 * The files of a written output, read from the output folder when asked
 * for (a build no longer holds every file of the site in memory). Files
 * written as text come back as strings, the others as bytes.
 */
export class OutputFolderFiles implements ReadonlyMap<string, string | Uint8Array> {
  /**
   * @param outDir  The output folder.
   * @param records The files it holds, by path.
   */
  constructor(
    private readonly outDir: string,
    private readonly records: ReadonlyMap<string, OutputRecord>,
  ) {}

  get size(): number {
    return this.records.size;
  }

  has(path: string): boolean {
    return this.records.has(path);
  }

  get(path: string): string | Uint8Array | undefined {
    const record = this.records.get(path);
    if (!record) return undefined;
    const bytes = readFileSync(insideFolder(this.outDir, path));
    return record.text ? bytes.toString('utf8') : bytes;
  }

  keys(): MapIterator<string> {
    return this.records.keys();
  }

  values(): MapIterator<string | Uint8Array> {
    return this.read([...this.records.keys()], (path, content) => content);
  }

  entries(): MapIterator<[string, string | Uint8Array]> {
    return this.read([...this.records.keys()], (path, content) => [path, content]);
  }

  forEach(callback: (value: string | Uint8Array, key: string, map: ReadonlyMap<string, string | Uint8Array>) => void): void {
    for (const [path, content] of this.entries()) callback(content, path, this);
  }

  [Symbol.iterator](): MapIterator<[string, string | Uint8Array]> {
    return this.entries();
  }

  private read<T>(paths: string[], make: (path: string, content: string | Uint8Array) => T): MapIterator<T> {
    return lazily(paths, (path) => make(path, this.get(path) ?? ''));
  }
}

/**
 * The emails of a written output (`email/<slug>.*`), read from the output
 * folder when asked for.
 */
export class OutputFolderEmails implements ReadonlyMap<string, RenderedEmail> {
  /**
   * @param outDir The output folder.
   * @param slugs  The slugs of the posts that have an email.
   */
  constructor(
    private readonly outDir: string,
    private readonly slugs: ReadonlySet<string>,
  ) {}

  get size(): number {
    return this.slugs.size;
  }

  has(slug: string): boolean {
    return this.slugs.has(slug);
  }

  get(slug: string): RenderedEmail | undefined {
    if (!this.slugs.has(slug)) return undefined;
    const read = (extension: string) => readFileSync(insideFolder(join(this.outDir, 'email'), `${slug}.${extension}`), 'utf8');
    return { mjml: read('mjml'), html: read('html'), text: read('txt'), meta: JSON.parse(read('json')) as EmailMeta };
  }

  keys(): SetIterator<string> {
    return this.slugs.keys();
  }

  values(): MapIterator<RenderedEmail> {
    return lazily([...this.slugs], (slug) => this.get(slug) as RenderedEmail);
  }

  entries(): MapIterator<[string, RenderedEmail]> {
    return lazily([...this.slugs], (slug): [string, RenderedEmail] => [slug, this.get(slug) as RenderedEmail]);
  }

  forEach(callback: (value: RenderedEmail, key: string, map: ReadonlyMap<string, RenderedEmail>) => void): void {
    for (const [slug, email] of this.entries()) callback(email, slug, this);
  }

  [Symbol.iterator](): MapIterator<[string, RenderedEmail]> {
    return this.entries();
  }
}

/** An iterator that reads each item only when it is reached (Node 20 has no iterator helpers). */
function lazily<K, T>(keys: readonly K[], make: (key: K) => T): MapIterator<T> {
  function* items(): Generator<T, undefined> {
    for (const key of keys) yield make(key);
    return undefined;
  }
  return items() as unknown as MapIterator<T>;
}
