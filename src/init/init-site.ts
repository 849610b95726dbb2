import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readLanguageTag } from '../config/language-tag.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { installSpec, type InstallSpec } from './install-spec.js';
import { SITE_ALLOW_SCRIPTS, SITE_SCRIPTS, siteFiles } from './site-files.js';

/** Options of {@link initSite}. */
export interface InitOptions {
  /** The folder to make the site in (created when missing). */
  dir: string;
  /** The site's language, a BCP 47 tag (default `ar`). */
  lang?: string;
  /** The site's name (default: one in the site's language). */
  title?: string;
  /** Public address of the blog (default `https://example.org/`). */
  url?: string;
  /** The day of the first post (default: today, UTC). */
  today?: string;
  /** How the site depends on sahifa (default: found from where sahifa runs). */
  spec?: InstallSpec;
}

/** What {@link initSite} did. */
export interface InitResult {
  /** Absolute path of the site. */
  dir: string;
  /** Files written (or, for an existing package.json, completed), relative to the site. */
  written: string[];
  /** The sahifa dependency the site's package.json names. */
  spec: InstallSpec;
  /** True when the folder already had its `node_modules` (sahifa installed there first). */
  installed: boolean;
}

/**
 * Entries an `npm install sahifa` leaves in a folder: a site may be made
 * where sahifa was just installed, its package.json then being completed.
 */
const LEFT_BY_INSTALL = new Set(['package.json', 'package-lock.json', 'node_modules', '.npmrc', '.git']);

/**
 * `sahifa init`: writes a working site into an empty or new folder. A folder
 * holding anything besides what installing sahifa leaves there is refused,
 * and no file is ever overwritten.
 *
 * @param options The folder and the choices.
 * @throws {Error} with a one-line reason naming the flag or the folder.
 */
export async function initSite(options: InitOptions): Promise<InitResult> {
  const lang = readLanguageTag(options.lang ?? 'ar');
  if (!lang.ok) throw new Error(`--lang ${lang.problem}`);
  // Well-formed is not enough for a new site: "arabic" is a valid tag for no language anyone writes.
  if (new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(new Intl.Locale(lang.tag).language) === undefined) {
    throw new Error(`--lang "${terminalSafe(options.lang ?? '')}" names no language Intl knows: use a language code such as ar, en, fa, he or ur (a region may follow: ar-EG)`);
  }
  const url = siteUrl(options.url ?? 'https://example.org/');
  const title = options.title?.replace(/\s+/gu, ' ').trim();
  if (options.title !== undefined && !title) throw new Error('--title is empty: give the site a name, e.g. --title "مدونتي"');
  if (title && /[\p{Cc}\p{Cs}]/u.test(title)) throw new Error('--title holds control characters: give the site a name in plain text');
  const dir = resolve(options.dir);
  const existing = await entriesOf(dir);
  const foreign = existing.filter((name) => !LEFT_BY_INSTALL.has(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((name) => terminalSafe(name)).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new Error(`${terminalSafe(dir)} is not empty (it holds ${shown}): sahifa init writes a new site only into an empty or new folder; pass another folder, e.g. sahifa init my-site`);
  }
  const spec = options.spec ?? installSpec(dir);
  const files = siteFiles({ lang: lang.tag, title, url, today: options.today ?? new Date().toISOString().slice(0, 10), name: packageName(dir), sahifaSpec: spec.spec });
  if (existing.includes('package.json')) files.set('package.json', await completedPackage(join(dir, 'package.json')));
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    // `wx` for new files: even a file that appeared since the check is never overwritten.
    await writeFile(join(dir, path), content, { flag: path === 'package.json' && existing.includes(path) ? 'w' : 'wx' });
  }
  return { dir, written: [...files.keys()], spec, installed: existing.includes('node_modules') };
}

/** The entries of `dir`, or none when it does not exist yet; anything else that is not a folder is refused. */
async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') throw new Error(`${terminalSafe(dir)} is a file, not a folder: pass a new or empty folder, e.g. sahifa init my-site`);
    throw new Error(`cannot read ${terminalSafe(dir)} (${code ?? String(error)}): pass a folder you can write to`);
  }
}

/** `--url`, checked: an absolute http(s) address, given its trailing slash. */
function siteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--url "${terminalSafe(value)}" is not an address: give the blog's public address, e.g. --url https://example.org/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--url "${terminalSafe(value)}" is not http(s): give the blog's public address, e.g. --url https://example.org/`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`--url "${terminalSafe(value)}" has a query, fragment or user name: give the blog's address alone, e.g. --url https://example.org/blog/`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** An npm package name from the folder's name: lower case, `a-z0-9-._`, else `my-site`. */
function packageName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|-+$/g, '').slice(0, 214);
  return name || 'my-site';
}

/** The package.json `npm install sahifa` left, with the site's scripts and approvals added; what is there is kept. */
async function completedPackage(path: string): Promise<string> {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read the package.json already in the folder (${(error as Error).message}): fix it or remove it, then run sahifa init again`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('the package.json already in the folder is not a JSON object: fix it or remove it, then run sahifa init again');
  const record = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  manifest.name ??= packageName(dirname(path));
  manifest.private ??= true;
  manifest.scripts = { ...SITE_SCRIPTS, ...record(manifest.scripts) };
  manifest.allowScripts = { ...SITE_ALLOW_SCRIPTS, ...record(manifest.allowScripts) };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
