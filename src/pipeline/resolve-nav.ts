import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { CONFIG_FILE } from '../config/load-config.js';
import type { NavEntry } from '../config/nav-schema.js';
import type { SiteConfig } from '../config/schema.js';
import type { Page } from '../content/page.js';
import { reportError } from '../diagnostics/build-failure.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { parseLocated, placeOfPath } from '../diagnostics/yaml-places.js';

/** The menu with every `{ page }` entry turned into `{ title, href }`, and the problems found. */
export interface ResolvedNav {
  nav: Array<Extract<NavEntry, { href: string }>>;
  messages: VFileMessage[];
}

/**
 * Looks up each `{ "page": "<slug>" }` entry of the config's `nav` among the
 * pages of this build: its address becomes `/<slug>/` and its text, unless
 * given, the page's title. A slug that names no page is an error at its
 * place in `sahifa.config.json`.
 *
 * @param root   The site root.
 * @param config The site configuration.
 * @param pages  The pages of this build.
 */
export async function resolveNav(root: string, config: SiteConfig, pages: readonly Page[]): Promise<ResolvedNav> {
  const bySlug = new Map(pages.map((page) => [page.slug.normalize('NFC').toLowerCase(), page]));
  const nav: ResolvedNav['nav'] = [];
  const missing: number[] = [];
  config.nav.forEach((entry, index) => {
    if ('href' in entry) {
      nav.push(entry);
      return;
    }
    const page = bySlug.get(entry.page.normalize('NFC').toLowerCase());
    if (page) nav.push({ title: entry.title ?? page.meta.title, href: `/${encodeURIComponent(page.slug)}/` });
    else missing.push(index);
  });
  if (missing.length === 0) return { nav, messages: [] };
  const path = join(root, CONFIG_FILE);
  const source = await readFile(path, 'utf8').catch(() => '');
  const file = new VFile({ path, value: source });
  const located = parseLocated(source);
  const known = pages.map((page) => page.slug).join(', ') || 'none';
  for (const index of missing) {
    const entry = config.nav[index] as Extract<NavEntry, { page: string }>;
    reportError(file, `\`nav[${index}].page\`: no page "${terminalSafe(entry.page)}" in pages/ (pages of this build: ${terminalSafe(known)}); check the slug, or write the page (a draft page counts only with --drafts)`, placeOfPath(located, ['nav', index, 'page']), 'nav-page-missing');
  }
  return { nav, messages: file.messages };
}
