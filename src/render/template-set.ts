import Handlebars from 'handlebars';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containedPath } from '../content/contained-path.js';
import { fileFailure } from '../diagnostics/build-failure.js';
import { PRECOMPILED_THEME } from '../startup/precompiled-theme.js';
import { helperCalls, inlinePartialNames, partialsUsed, templateSyntaxProblem } from './template-syntax.js';

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
  // The default theme's own files, compiled when sahifa was bundled, need no check.
  const sources = [...templates.values(), ...partials.values()].filter((source): source is Parsed => 'ast' in source);
  checkPartialCalls(sources, new Set([...partials.keys()].map(partialName)), set);
  checkHelperCalls(sources, Object.keys(handlebars.helpers));
  const compile = (source: Source, options?: CompileOptions) => ('ast' in source ? handlebars.compile(source.ast, options) : handlebars.template(source.spec));
  for (const [name, source] of partials) handlebars.registerPartial(partialName(name), blamed(source.path, compile(source)));
  const compiled = new Map(
    // Plain-text templates (`*.txt.hbs`) are not HTML-escaped.
    [...templates].map(([name, source]) => [name, { path: source.path, render: compile(source, { noEscape: name.endsWith('.txt.hbs') }) }]),
  );
  return {
    render(name, context) {
      const template = compiled.get(name);
      if (!template) throw fileFailure(join(folders[0] ?? '', name), `template ${set}/${name} is missing from the theme`, 'template-missing');
      try {
        return template.render(context);
      } catch (error) {
        const path = error instanceof PartialError ? error.path : template.path;
        const reason = (error instanceof PartialError ? error.cause : error) as Error;
        throw fileFailure(path, `template error: ${reason.message}`, 'template-error', { cause: reason });
      }
    },
  };
}

/** An error raised while a partial rendered, with the partial's file. */
class PartialError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`in ${path}: ${(cause as Error).message}`);
  }
}

/** A partial that says which file it is when it fails (Handlebars would blame the page template). */
function blamed(path: string, render: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate {
  return (context, options) => {
    try {
      return render(context, options);
    } catch (error) {
      throw error instanceof PartialError ? error : new PartialError(path, error);
    }
  };
}

/**
 * Fails on the first call of a helper that does not exist (`{{formatDate
 * post.date}}`), naming the file, line and the helpers there are; Handlebars
 * would only say "Missing helper" while rendering, blaming the page template.
 */
function checkHelperCalls(sources: readonly Parsed[], known: readonly string[]): void {
  for (const { path, ast } of sources) {
    for (const call of helperCalls(ast)) {
      if (known.includes(call.name)) continue;
      const mine = known.filter((name) => !BUILT_IN_HELPERS.has(name) && !name.endsWith('Missing')).sort();
      throw fileFailure(path, `helper "${call.name}" does not exist: use one of ${[...mine, ...BUILT_IN_HELPERS].join(', ')} (see "Themes and templates" in the README)`, 'template-helper-missing', {
        place: call.place,
      });
    }
  }
}

/** Handlebars' own block helpers, listed after sahifa's in messages. */
const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/** A template parsed here. */
interface Parsed {
  path: string;
  ast: hbs.AST.Program;
}

/** A template parsed here, or one of the default theme compiled when sahifa was bundled (see precompiled-theme.ts). */
type Source = Parsed | { path: string; spec: TemplateSpecification };

/** `footer.hbs` → `footer`. */
const partialName = (file: string) => file.replace(/\.hbs$/, '');

/**
 * The `*.hbs` files of `sub` in each folder, parsed; later folders override
 * earlier ones. A `*.hbs` that is not a readable file is an error naming it, and a site's file
 * (under `root`) that is a symbolic link leading out of the site is refused, so an override cannot
 * publish a file from elsewhere.
 */
async function collect(folders: string[], sub: string, root: string): Promise<Map<string, Source>> {
  const found = new Map<string, Source>();
  for (const folder of folders) {
    const dir = join(folder, sub);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.filter((item) => item.name.endsWith('.hbs')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (!entry.isFile() && !entry.isSymbolicLink()) {
        throw fileFailure(path, `${relative(root, path) || path} is a folder, not a template: remove it, or put a template file of that name in its place`, 'template-unreadable');
      }
      if (folder.startsWith(root) && (await containedPath(path, root)).kind === 'outside') {
        throw fileFailure(path, 'this template is a symbolic link that leads out of the site: copy the file into templates/ instead of linking to it', 'template-link-outside');
      }
      const source = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        const what = error.code === 'EISDIR' ? 'is a folder, not a template' : `cannot be read (${error.code ?? error.message})`;
        throw fileFailure(path, `this template ${what}: replace it with a readable file or remove it`, 'template-unreadable', { cause: error });
      });
      const precompiled = folder.startsWith(DEFAULT_TEMPLATES_DIR) ? PRECOMPILED_THEME.get(relative(DEFAULT_TEMPLATES_DIR, path).split(sep).join('/')) : undefined;
      found.set(entry.name, precompiled?.source === source ? { path, spec: precompiled.spec } : { path, ast: parsed(path, source) });
    }
  }
  return found;
}

/** Parses a template, or fails with its path, line, column and reason. */
function parsed(path: string, source: string): hbs.AST.Program {
  try {
    return Handlebars.parse(source);
  } catch (error) {
    const { reason, place } = templateSyntaxProblem(error, source);
    throw fileFailure(path, `template syntax error: ${reason}`, 'template-syntax', { place, cause: error });
  }
}

/**
 * Fails on the first call of a partial that no theme folder has, naming the
 * file that makes the call (an override, not the default template that
 * includes it) and the file to add.
 */
function checkPartialCalls(sources: readonly Parsed[], known: ReadonlySet<string>, set: string): void {
  for (const { path, ast } of sources) {
    const inline = new Set(inlinePartialNames(ast));
    for (const use of partialsUsed(ast)) {
      if (known.has(use.name) || inline.has(use.name)) continue;
      throw fileFailure(
        path,
        `partial "${use.name}" does not exist: add templates/${set}/partials/${use.name}.hbs, or remove {{> ${use.name}}} (partials: ${[...known].sort().join(', ')})`,
        'template-partial-missing',
        { place: use.place },
      );
    }
  }
}

