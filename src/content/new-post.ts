import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { directionOf } from '../config/direction.js';
import { readLanguageTag } from '../config/language-tag.js';
import { loadConfig } from '../config/load-config.js';
import { frontMatterSchema } from './front-matter.js';
import { calendarDay } from './post-date.js';
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
  const date = options.date ?? calendarDay(new Date(), config.timeZone);
  const dateCheck = frontMatterSchema.shape.date.safeParse(date);
  if (!dateCheck.success) {
    const reason = dateCheck.error.issues[0]?.message ?? 'not a date';
    throw new Error(`--date "${date}": ${reason}${reason.includes('such as') ? '' : '; give one such as 2025-02-28'}`);
  }
  const lang = options.lang === undefined ? undefined : readLanguageTag(options.lang);
  if (lang && !lang.ok) throw new Error(`--lang ${lang.problem}`);
  const frontMatter = stringify({ title, date, ...(lang ? { lang: lang.tag } : {}), draft: true }, { lineWidth: 0 });
  const folder = join(options.root, POSTS_DIR);
  const path = join(folder, `${date.slice(0, 10)}-${slug}.md`);
  await mkdir(folder, { recursive: true });
  const placeholder = directionOf(lang?.tag ?? config.lang) === 'rtl' ? 'اكتب هنا.' : 'Write here.';
  await writeFile(path, `---\n${frontMatter}---\n\n${placeholder}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new Error(`${relative(options.root, path)} already exists: choose another --slug`) : error;
  });
  return relative(options.root, path);
}
