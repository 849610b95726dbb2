import Handlebars from 'handlebars';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containedPath } from '../content/contained-path.js';
import { fileFailure } from '../diagnostics/build-failure.js';

/** The default theme shipped with sahifa. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Where a site keeps templates that replace the default theme's, file by file. */
export const SITE_TEMPLATES_DIR = 'templates';

/** A folder of Handlebars templates and their partials, ready to render. */
export interface TemplateSet {
  /**
   * Renders a template of the set by file name (`layout.hbs`).
   *
   * @throws {BuildFailure} naming the template when rendering fails.
   */
  render(name: string, context: object): string;
}

/** Extra helpers a branch registers on its own set. */
export type Helpers = Record<string, Handlebars.HelperDelegate>;

/**
 * Loads the templates of one branch (`page` or `email`): every `*.hbs` in
 * `templates/<set>/` and partials from `templates/<set>/partials/`, where a
 * file of the same name under `<root>/templates/<set>/` takes the place of
 * the default one. `*.txt.hbs` templates write plain text, unescaped.
 * Templates are checked for syntax at load time, so a broken
 * override is reported with its path and line before anything is rendered.
 *
 * @param root    The site root.
 * @param set     The branch folder name.
 * @param helpers Helpers to register.
 */
export async function loadTemplateSet(root: string, set: string, helpers: Helpers): Promise<TemplateSet> {
  const handlebars = Handlebars.create();
  handlebars.registerHelper(helpers);
  const folders = [join(DEFAULT_TEMPLATES_DIR, set), join(root, SITE_TEMPLATES_DIR, set)];
  const templates = await collect(folders, '', root);
  const partials = await collect(folders, 'partials', root);
  for (const [name, { path, source }] of partials) {
    handlebars.registerPartial(name.replace(/\.hbs$/, ''), checked(handlebars, path, source));
  }
  const compiled = new Map(
    // Plain-text templates (`*.txt.hbs`) are not HTML-escaped.
    [...templates].map(([name, { path, source }]) => [name, { path, render: handlebars.compile(checked(handlebars, path, source), { noEscape: name.endsWith('.txt.hbs') }) }]),
  );
  return {
    render(name, context) {
      const template = compiled.get(name);
      if (!template) throw fileFailure(join(folders[0] ?? '', name), `template ${set}/${name} is missing from the theme`, 'template-missing');
      try {
        return template.render(context);
      } catch (error) {
        throw fileFailure(template.path, `template error: ${(error as Error).message}`, 'template-error', { cause: error });
      }
    },
  };
}

interface Source {
  path: string;
  source: string;
}

/**
 * The `*.hbs` files of `sub` in each folder; later folders override earlier
 * ones. A site's file (under `root`) that is a symbolic link leading out of
 * the site is refused, so an override cannot publish a file from elsewhere.
 */
async function collect(folders: string[], sub: string, root: string): Promise<Map<string, Source>> {
  const found = new Map<string, Source>();
  for (const folder of folders) {
    const dir = join(folder, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((entry) => entry.endsWith('.hbs')).sort()) {
      const path = join(dir, name);
      if (folder.startsWith(root) && (await containedPath(path, root)).kind === 'outside') {
        throw fileFailure(path, 'this template is a symbolic link that leads out of the site: copy the file into templates/ instead of linking to it', 'template-link-outside');
      }
      found.set(name, { path, source: await readFile(path, 'utf8') });
    }
  }
  return found;
}

/** Parses a template to surface syntax errors with the file's path and line. */
function checked(handlebars: typeof Handlebars, path: string, source: string): string {
  try {
    handlebars.parse(source);
    return source;
  } catch (error) {
    const message = (error as Error).message;
    // Handlebars says "Parse error on line 3:" or "each doesn't match if - 2:5".
    const [, line, column] = /line (\d+)/.exec(message) ?? / - (\d+):(\d+)$/m.exec(message) ?? [];
    const first = (message.split('\n')[0] ?? message).replace(/ - \d+:\d+$/, '');
    const place = line ? { line: Number(line), column: column ? Number(column) + 1 : 1 } : undefined;
    throw fileFailure(path, `template syntax error: ${first}`, 'template-syntax', { place, cause: error });
  }
}
