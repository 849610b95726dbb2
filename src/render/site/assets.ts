import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { containedPath } from '../../content/contained-path.js';
import { fileFailure } from '../../diagnostics/build-failure.js';
import { DEFAULT_TEMPLATES_DIR, SITE_TEMPLATES_DIR } from '../template-set.js';

const require = createRequire(import.meta.url);

/**
 * Fonts the default stylesheet uses, self-hosted from `@fontsource` so a page
 * makes no third-party request: Noto Naskh Arabic, Vazirmatn for Persian,
 * Noto Nastaliq Urdu and Noto Sans Hebrew, regular and bold, each only in the
 * script it is for. A browser downloads only the ones a page's text uses.
 */
const FONT_FILES = ['noto-naskh-arabic/files/noto-naskh-arabic-arabic', 'vazirmatn/files/vazirmatn-arabic', 'noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic', 'noto-sans-hebrew/files/noto-sans-hebrew-hebrew'].flatMap(
  (stem) => [400, 700].map((weight) => `@fontsource/${stem}-${weight}-normal.woff2`),
);

/**
 * The static files of the blog, keyed by their path under `dist/blog/`:
 * everything in the theme's `templates/assets/` (a site's own
 * `<root>/templates/assets/` adds files or replaces them by name) and the
 * self-hosted fonts under `assets/fonts/`.
 *
 * @param root The site root.
 */
export async function loadAssets(root: string): Promise<Map<string, Uint8Array>> {
  const assets = new Map<string, Uint8Array>();
  for (const module of FONT_FILES) {
    const path = require.resolve(module);
    assets.set(`assets/fonts/${basename(path)}`, await readFile(path));
  }
  const siteAssets = join(root, SITE_TEMPLATES_DIR, 'assets');
  if ((await containedPath(siteAssets, root)).kind === 'outside') {
    throw fileFailure(siteAssets, 'this folder is a symbolic link that leads out of the site: copy the files into templates/assets/ instead', 'assets-link-outside');
  }
  for (const folder of [join(DEFAULT_TEMPLATES_DIR, 'assets'), siteAssets]) {
    // Symbolic links inside are skipped (listFiles keeps regular files only).
    for (const path of await listFiles(folder)) {
      assets.set(`assets/${relative(folder, path).split('\\').join('/')}`, await readFile(path));
    }
  }
  return assets;
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
