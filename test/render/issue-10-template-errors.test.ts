import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

/** The formatted messages of a build that must fail. */
async function failure(root: string): Promise<string[]> {
  try {
    await build({ root, write: false });
  } catch (error) {
    if (error instanceof BuildFailure) return error.messages.map((message) => formatMessage(message, { cwd: root }));
    throw error;
  }
  throw new Error('the build passed');
}

const siteWith = (templates: Record<string, string>) => makeSite({ 'posts/good.md': GOOD_POST, ...templates });

describe('issue 10: template errors name the right file, line and fix', () => {
  it.each([
    [
      'an unclosed {{#if}',
      '<footer>\n  <p>{{#if site.title}\n</footer>\n',
      'templates/page/partials/footer.hbs:2:22: error template syntax error: unexpected "}</footer>", where Handlebars expected "}}" or a name; check the {{…}} here [template-syntax]',
    ],
    [
      'a mustache cut off by the end of the file',
      '<footer>\n  <p>© {{year}} {{site.title\n',
      'templates/page/partials/footer.hbs:2:29: error template syntax error: unexpected the end of the file, where Handlebars expected "}}" or a name; check the {{…}} here [template-syntax]',
    ],
    [
      'a closing tag with nothing open, far into a long line',
      '<footer><p class="site-footer-line">© {{year}} {{site.title}}</p>{{/if}}</footer>\n',
      'templates/page/partials/footer.hbs:1:66: error template syntax error: "{{/if}}" with no block open to close: remove it or open the block with {{#…}} [template-syntax]',
    ],
    [
      'blocks closed in the wrong order',
      '<footer>\n  {{#each tags}}\n  {{/if}}\n</footer>\n',
      'templates/page/partials/footer.hbs:2:3: error template syntax error: {{#each}} is closed by {{/if}}: close each block with its own name ({{/each}}) [template-syntax]',
    ],
  ])('keeps the reason of a syntax error: %s', async (_case, footer, message) => {
    expect(await failure(await siteWith({ 'templates/page/partials/footer.hbs': footer }))).toEqual([message]);
  });

  it('blames a missing partial on the override that calls it, not on the default theme', async () => {
    const root = await siteWith({ 'templates/page/partials/footer.hbs': '<footer>\n  <p>{{year}}</p> {{> sidebar}}\n</footer>\n' });
    expect(await failure(root)).toEqual([
      'templates/page/partials/footer.hbs:2:19: error partial "sidebar" does not exist: add templates/page/partials/sidebar.hbs, or remove {{> sidebar}} (partials: article, footer, head, header, share, subscribe) [template-partial-missing]',
    ]);
  });

  it('names a helper that does not exist, with its place and the helpers there are', async () => {
    const root = await siteWith({ 'templates/page/post.hbs': '<!DOCTYPE html>\n<p>{{formatDate post.dateIso "long"}}</p>\n' });
    expect(await failure(root)).toEqual([
      'templates/page/post.hbs:2:4: error helper "formatDate" does not exist: use one of isolate, json, textDir, textStart, if, unless, each, with, lookup, log (see "Themes and templates" in the README) [template-helper-missing]',
    ]);
  });

  it('blames an error while rendering on the partial that raised it, not on the page template', async () => {
    const root = await siteWith({ 'templates/page/partials/footer.hbs': '<footer>{{#each}}x{{/each}}</footer>\n' });
    expect(await failure(root)).toEqual(['templates/page/partials/footer.hbs: error template error: Must pass iterator to #each [template-error]']);
  });

  it('accepts partials defined inline and {{> @partial-block}}', async () => {
    const root = await siteWith({ 'templates/page/partials/footer.hbs': '{{#*inline "copy"}}<p>{{year}}</p>{{/inline}}<footer>{{> copy}}{{#> header}}x{{/header}}</footer>\n' });
    await expect(build({ root, write: false })).resolves.toBeDefined();
  });

  it('says a template that is a folder is a folder, in one line from the CLI', async () => {
    const root = await siteWith({});
    await mkdir(join(root, 'templates', 'page', 'post.hbs'), { recursive: true });
    expect(await failure(root)).toEqual([
      'templates/page/post.hbs: error templates/page/post.hbs is a folder, not a template: remove it, or put a template file of that name in its place [template-unreadable]',
    ]);
    const run = await sahifa(['build', '--root', root]);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain('EISDIR');
    expect(run.stderr.split('\n')[0]).toMatch(/templates\/page\/post\.hbs: error templates\/page\/post\.hbs is a folder/);
  });
});
