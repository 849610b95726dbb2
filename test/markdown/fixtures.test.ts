import { toHtml } from 'hast-util-to-html';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { localeFor } from '../../src/config/locales.js';
import { loadPost } from '../../src/content/load-post.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { createMarkdownProcessor } from '../../src/markdown/processor.js';
import { CONFIG, FIXTURES } from '../helpers/site.js';

const CASES = join(FIXTURES, 'markdown');

/**
 * Each folder under test/fixtures/markdown holds `input.md`, the HTML the
 * real processor must make of its body (`expected.html`) and, when the post
 * should warn, the warnings (`expected-messages.txt`). `UPDATE_FIXTURES=1`
 * rewrites the expected files (read the diff before committing).
 */
describe('markdown fixtures', () => {
  for (const name of readdirSync(CASES)) {
    it(name, async () => {
      const folder = join(CASES, name);
      const path = join(folder, 'input.md');
      const file = new VFile({ path, value: await readFile(path, 'utf8') });
      const post = await loadPost(file, {
        config: CONFIG,
        processorFor: (lang, dir) => createMarkdownProcessor({ dir, strings: localeFor(lang), siteUrl: CONFIG.url }),
        postsDir: folder,
      });
      const messages = file.messages.map((message) => formatMessage(message, { cwd: folder })).join('\n');
      expect(post, messages).toBeDefined();
      const html = `${toHtml(post!.tree)}\n`;
      const expectedHtml = join(folder, 'expected.html');
      const expectedMessages = join(folder, 'expected-messages.txt');
      if (process.env.UPDATE_FIXTURES) {
        await writeFile(expectedHtml, html);
        if (messages) await writeFile(expectedMessages, `${messages}\n`);
      }
      expect(html).toBe(await readFile(expectedHtml, 'utf8'));
      const wanted = existsSync(expectedMessages) ? (await readFile(expectedMessages, 'utf8')).trim() : '';
      expect(messages).toBe(wanted);
    });
  }
});
