import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load-config.js';
import type { SiteConfig } from '../../src/config/schema.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The test fixtures folder. */
export const FIXTURES = join(REPO, 'test', 'fixtures');

/** A minimal valid site configuration, as JSON text. */
export const CONFIG_JSON = JSON.stringify(
  {
    title: 'موقع تجاربنا',
    url: 'https://example.org/',
    lang: 'ar',
    numerals: 'latn',
    subscribe: { action: 'https://example.org/subscribe' },
  },
  null,
  2,
);

/** {@link CONFIG_JSON} validated. */
export const CONFIG: SiteConfig = parseConfig(CONFIG_JSON, 'sahifa.config.json');

/** A valid post, for builds that need one good file. */
export const GOOD_POST = `---
title: "مرحبا"
date: 2025-01-01
---

نص التدوينة الأولى.
`;

/**
 * Makes a site in a new temporary folder from a map of relative paths to
 * contents; `sahifa.config.json` is added unless given.
 *
 * @param files Relative path → content.
 */
export async function makeSite(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-test-'));
  const all = { 'sahifa.config.json': CONFIG_JSON, ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/**
 * Copies a fixture folder into a new temporary folder.
 *
 * @param name Folder name under `test/fixtures/`.
 */
export async function copyFixture(name: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `sahifa-${name.replaceAll("/", "-")}-`));
  await cp(join(FIXTURES, name), root, { recursive: true });
  return root;
}

/**
 * Every file under a folder with a hash of its content, to show that a
 * folder is exactly as it was.
 *
 * @param folder The folder.
 */
export async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const result: Record<string, string> = {};
  for (const entry of entries.filter((item) => item.isFile())) {
    const path = join(entry.parentPath, entry.name);
    result[relative(folder, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return result;
}
