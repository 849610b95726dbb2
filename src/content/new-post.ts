import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { directionOf } from '../config/direction.js';
import { loadConfig } from '../config/load-config.js';
import { POSTS_DIR } from './find-posts.js';
import { slugFromFileName, slugProblem } from './slug.js';

/** Options of {@link newPost}. */
export interface NewPostOptions {
  root: string;
  title: string;
  /** Folder name of the post (default: from the title; Arabic letters are kept). */
  slug?: string;
  /** The post's language, when it differs from the site's. */
  lang?: string;
  /** Publication date (default: today in the site's time zone). */
  date?: string;
}

/**
 * `sahifa new TITLE`: writes `posts/<date>-<slug>.md` with front matter and
 * `draft: true`, so the post stays out of builds until the writer removes
 * that line. Refuses to overwrite a file.
 *
 * @param options Site, title and choices.
 * @returns The new file's path, relative to the site root.
 */
export async function newPost(options: NewPostOptions): Promise<string> {
  const config = await loadConfig(options.root);
  const title = options.title.replace(/\s+/g, ' ').trim();
  if (!title) throw new Error('give the post a title: sahifa new "العنوان"');
  const slug = options.slug ?? slugFromFileName(title);
  const problem = slugProblem(slug);
  if (problem) throw new Error(`cannot use "${slug}" as the slug: ${problem}; choose one with --slug`);
  const date = options.date ?? new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  if (!/^\d{4}-\d{2}-\d{2}/.test(date)) throw new Error(`--date expects an ISO 8601 date such as 2025-02-28, got "${date}"`);
  const frontMatter = stringify({ title, date, ...(options.lang ? { lang: options.lang } : {}), draft: true }, { lineWidth: 0 });
  const folder = join(options.root, POSTS_DIR);
  const path = join(folder, `${date.slice(0, 10)}-${slug}.md`);
  await mkdir(folder, { recursive: true });
  const placeholder = directionOf(options.lang ?? config.lang) === 'rtl' ? 'اكتب هنا.' : 'Write here.';
  await writeFile(path, `---\n${frontMatter}---\n\n${placeholder}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new Error(`${relative(options.root, path)} already exists: choose another --slug`) : error;
  });
  return relative(options.root, path);
}
