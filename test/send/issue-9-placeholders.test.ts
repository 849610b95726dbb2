import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { openDatabase } from '../../src/send/database.js';
import { sendNewsletter } from '../../src/send/send.js';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { readUnsubscribeToken } from '../../src/serve/tokens.js';
import { CONFIG_JSON, copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SECRET = 'placeholder-secret';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The reasons a config with these placeholders is refused with (empty when accepted). */
function refusals(placeholders: Record<string, string>): string[] {
  const config = { ...(JSON.parse(CONFIG_JSON) as object), email: { address: 'ص.ب. 1', placeholders } };
  try {
    parseConfig(JSON.stringify(config), 'sahifa.config.json');
    return [];
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return error.messages.map((message) => String(message.reason));
  }
}

describe('issue 9: placeholders that HTML escaping would rewrite are refused, so unsubscribe links never break', () => {
  it.each(['<', '>', '&', "'", '"', '`', '=', ' ', '\n', 'ب'])('refuses a token holding %j, naming the key', (character) => {
    for (const key of ['unsubscribeUrl', 'name', 'email']) {
      const [reason, ...rest] = refusals({ [key]: `[[x${character}y]]` });
      expect(rest).toEqual([]);
      expect(reason).toMatch(new RegExp(`^\`email\\.placeholders\\.${key}\`: expected 3 to 64 letters, digits and _ \\. : % \\$ \\* \\| \\{ \\} \\[ \\] # @ ! ~ \\^ \\+ - only`));
    }
  });

  it('refuses a token inside another (one would be filled in the middle of the other)', () => {
    expect(refusals({ name: '[[n]]', email: '[[n]]_email' })).toEqual(['`email.placeholders.name`: "[[n]]" is also inside placeholders.email ("[[n]]_email"): give each placeholder a token of its own']);
  });

  it('fills tokens made of every allowed special character, in the HTML part and in the text part', async () => {
    const root = await copyFixture('send-site');
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { email: Record<string, unknown> };
    config.email.placeholders = { unsubscribeUrl: '%%UNSUB|{url}*$%%', name: '[[:name@!~^+]]', email: '#email-.#' };
    await writeFile(configPath, JSON.stringify(config));
    const db = openDatabase(join(root, (await loadConfig(root)).database));
    upsertSubscriber(db, 'o.brien@example.com', { name: "O'Brien <&>" });
    db.close();
    server = await startSmtpServer();
    expect(await sendNewsletter({ root, slug: 'talks', smtpUrl: server.url, secret: SECRET })).toMatchObject({ sent: 1 });
    const [message] = server.received;
    const html = String(message?.parsed.html);
    const text = String(message?.parsed.text);
    for (const token of ['%%UNSUB|{url}*$%%', '[[:name@!~^+]]', '#email-.#']) {
      expect(html).not.toContain(token);
      expect(text).not.toContain(token);
    }
    const link = /href="(https:\/\/example\.org\/unsubscribe\?[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(readUnsubscribeToken(SECRET, url.searchParams.get('token')!)).toEqual({ address: 'o.brien@example.com', list: 'newsletter.example.org' });
    expect(text).toContain(`: ${link}`);
    expect(text).toContain('o.brien@example.com');
    expect(html).toContain('o.brien@example.com');
  });
});
