import mjml2html from 'mjml';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MJML_OPTIONS } from '../../src/render/email/splice-mjml.js';
import { renderServiceEmail, serviceEmailSource, warmServiceEmails, type MailKit, type ServiceEmail } from '../../src/serve/mail.js';
import { REPO } from '../helpers/site.js';
import { kitFor } from './service-kit.js';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** What mjml itself makes of an email's source: the reference every rendered email must equal. */
async function reference(kit: MailKit, email: ServiceEmail): Promise<{ html: string; text: string; subject: string }> {
  const { mjml, text, subject } = serviceEmailSource({ ...kit, stencils: undefined }, email);
  return { html: (await mjml2html(mjml, MJML_OPTIONS)).html, text, subject };
}

// Not the probes the stencil is checked with: values of our own, each hostile in another way.
const ADDRESSES = ['a&amp;b@example.org', "it's<me>@example.com", 'تجربة.قارئ@example.com', 'x"=`y@example.org', 'sahifa0to@example.org', 'ok@example.com'];
const LINKS = [
  'https://example.org/newsletter/confirm?token=abc&x=1&amp;y',
  'https://example.org/c?t=</mj-button><mj-raw>x</mj-raw>',
  'https://example.org/c?t=<!--[if mso]>--> ]]>',
  'https://example.org/c?t=\uE0000\uE001\u202E',
  'https://example.org/u?token=$&$1$$',
];

describe('issue 11: the service emails are filled into a stencil made once per kind', () => {
  it('gives, for every kind, language and hostile value, exactly the HTML, text and subject of a full render', async () => {
    let checked = 0;
    for (const lang of ['ar', 'en', 'fa', 'he']) {
      for (const title of ['موقع "تجاربنا" & co', '</mj-text><mj-raw>x</mj-raw>']) {
        const kit = await kitFor(lang, title);
        await warmServiceEmails(kit);
        // The default theme's templates take a stencil for both kinds.
        expect(kit.stencils?.confirm, `${lang} ${title}`).toBeDefined();
        expect(kit.stencils?.welcome, `${lang} ${title}`).toBeDefined();
        for (const [index, to] of ADDRESSES.entries()) {
          const link = LINKS[index % LINKS.length]!;
          for (const email of [
            { kind: 'confirm', to, confirmUrl: link },
            { kind: 'welcome', to, unsubscribeUrl: link, listId: 'newsletter.example.org' },
          ] satisfies ServiceEmail[]) {
            const message = await renderServiceEmail(kit, email);
            const expected = await reference(kit, email);
            expect(message.html, `${lang} ${title} ${to} ${email.kind}`).toBe(expected.html);
            expect(message.text).toBe(expected.text);
            expect(message.subject).toBe(expected.subject);
            expect(message.to).toBe(to);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(4 * 2 * ADDRESSES.length * 2);
  });

  it('renders an email without a link whole (its template has no place for one)', async () => {
    const kit = await kitFor('ar', 'موقع');
    await warmServiceEmails(kit);
    const email: ServiceEmail = { kind: 'welcome', to: 'reader@example.com' };
    const message = await renderServiceEmail(kit, email);
    expect(message.html).toBe((await reference(kit, email)).html);
    expect(message.html).not.toContain('sahifa');
  });

  it('keeps no stencil for a site template that changes the address by its content, and still renders every email right', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sahifa-stencil-'));
    roots.push(root);
    await mkdir(join(root, 'templates', 'email'), { recursive: true });
    // The preheader (which holds the address) isolated run by run: an Arabic address is wrapped differently from a Latin one.
    const theme = await readFile(join(REPO, 'templates', 'email', 'service.mjml.hbs'), 'utf8');
    await writeFile(join(root, 'templates', 'email', 'service.mjml.hbs'), theme.replace('{{> service-footer}}', '{{> service-footer}}\n<mj-section><mj-column><mj-text>{{isolate preheader "rtl"}}</mj-text></mj-column></mj-section>'));
    const kit = await kitFor('ar', 'موقع', root);
    await warmServiceEmails(kit);
    expect(kit.stencils?.confirm).toBeUndefined();
    for (const to of ['قارئ@example.com', 'reader@example.com']) {
      const email: ServiceEmail = { kind: 'confirm', to, confirmUrl: 'https://example.org/c?token=x&y' };
      const message = await renderServiceEmail(kit, email);
      expect(message.html).toBe((await reference(kit, email)).html);
    }
  });
});

describe('issue 11: a service email as nodemailer composes it', () => {
  it('parses back to the same HTML and text, its MIME boundaries drawn per email from the pool', async () => {
    const kit = await kitFor('ar', 'موقع "تجاربنا"');
    await warmServiceEmails(kit);
    const boundaries = new Set<string>();
    for (const to of ['قارئ@example.com', "o'brien@example.org"]) {
      const message = await renderServiceEmail(kit, { kind: 'confirm', to, confirmUrl: 'https://example.org/c?token=x&y=1', messageId: '<confirm.1@example.org>' });
      const raw = await new MailComposer(message).compile().build();
      const parsed = await simpleParser(raw);
      expect(parsed.html).toBe(message.html);
      expect(parsed.text).toBe(message.text);
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(to);
      const boundary = /boundary="?([^";\r\n]+)/.exec(raw.toString('latin1'))?.[1];
      expect(boundary).toContain(message.baseBoundary);
      boundaries.add(boundary!);
    }
    expect(boundaries.size).toBe(2);
  });
});
