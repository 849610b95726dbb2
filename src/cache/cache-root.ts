import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of a site that holds sahifa's private state (dev output, caches, build record). */
export const PRIVATE_DIR = '.sahifa';

/**
 * The cache root of a site, `<root>/.sahifa/cache/`: every cache (content,
 * images…) keeps a folder of its own under it, and any of them may be
 * deleted at any time.
 *
 * @param root The site root.
 */
export function cacheRoot(root: string): string {
  return join(root, PRIVATE_DIR, 'cache');
}

/** The folder of this module: `src/cache/`, `lib/cache/`, or `lib/bundle/` when bundled. */
const HERE = dirname(fileURLToPath(import.meta.url));
/** Whether sahifa runs bundled (scripts/bundle.mjs): its code is then `lib/bundle/` alone. */
const BUNDLED = basename(HERE) === 'bundle';
/** sahifa's own code folder (`src/` under tsx, `lib/` when compiled, `lib/bundle/` when bundled). */
const CODE_DIR = BUNDLED ? HERE : dirname(HERE);
/** The bundle's hash, written by scripts/bundle.mjs beside the bundle (5 MB, its dependencies included: hashed once, when bundled). */
export const BUNDLE_HASH_FILE = 'code.sha256';

let codeHash: Promise<string> | undefined;

/**
 * A hash of sahifa itself: its version and the bytes of its code, so a
 * cache written by another build of sahifa (even one with the same version
 * number, as while sahifa is developed) is never trusted. Computed once per
 * process.
 */
export function sahifaFingerprint(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256');
    const manifest = await readFile(join(CODE_DIR, '..', 'package.json'), 'utf8').catch(() => '');
    hash.update(`sahifa ${(JSON.parse(manifest || '{}') as { version?: string }).version ?? '?'}\0`);
    const bundleHash = BUNDLED ? await readFile(join(CODE_DIR, BUNDLE_HASH_FILE), 'utf8').catch(() => undefined) : undefined;
    if (bundleHash && /^[0-9a-f]{64}\n?$/.test(bundleHash)) hash.update(`bundle ${bundleHash.trim()}`);
    else await hashFolder(hash, CODE_DIR, (name) => /\.(?:[cm]?js|ts)$/.test(name) && !name.endsWith('.d.ts'), BUNDLED ? undefined : 'bundle');
    return hash.digest('hex');
  })();
  return codeHash;
}

/** What a build's outputs depend on besides each post's own files. */
export interface FingerprintInputs {
  /** The site root (its `templates/` overrides are hashed). */
  root: string;
  /** Template folders of the default theme to hash (absolute). */
  templateFolders: readonly string[];
  /** Anything else, serialised with JSON (the configuration, the copyright year…). */
  settings: unknown;
}

/**
 * The "sahifa version + configuration + templates" fingerprint: a hex
 * SHA-256 that changes whenever anything every page depends on changes.
 * Caches put it in their keys; the image cache may reuse it.
 *
 * @param inputs The site root, template folders and settings.
 */
export async function siteFingerprint(inputs: FingerprintInputs): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${await sahifaFingerprint()}\0${JSON.stringify(inputs.settings)}\0`);
  for (const folder of [...inputs.templateFolders, join(inputs.root, 'templates')]) {
    hash.update(`${folder}\0`);
    await hashFolder(hash, folder, () => true);
  }
  return hash.digest('hex');
}

/** Feeds the names and bytes of every file under `folder` (sorted, recursively, less the subfolder `skip`) into `hash`; a missing folder adds nothing. */
async function hashFolder(hash: ReturnType<typeof createHash>, folder: string, keep: (name: string) => boolean, skip?: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  const skipped = skip === undefined ? undefined : join(folder, skip);
  const files = entries
    .filter((entry) => entry.isFile() && keep(entry.name) && (skipped === undefined || (entry.parentPath !== skipped && !entry.parentPath.startsWith(skipped + sep))))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const path of files) {
    hash.update(`${path.slice(folder.length)}\0`);
    hash.update(await readFile(path));
    hash.update('\0');
  }
}
