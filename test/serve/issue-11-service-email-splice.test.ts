import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { MJML_OPTIONS, splitMjml } from '../../src/render/email/splice-mjml.js';
import { renderServiceEmail, serviceEmailSource, type ServiceEmail } from '../../src/serve/mail.js';
import { kitFor } from './service-kit.js';

const ADDRESSES = ["o'brien+news@example.com", 'x&y@example.org', 'قارئ@example.com', '"quoted<b>"@example.org', 'a--b@example.org'];
const LINKS = [
  'https://example.org/newsletter/confirm?token=abc&x=1',
  'https://example.org/c?token=%3C%2Fmj-text%3E',
  'https://example.org/c?t=<!--[if mso]>',
  'https://example.org/c?t=\uE0000\uE001',
];

describe('issue 11: the service emails are spliced into a layout compiled once', () => {
  it('gives, for every kind, language and hostile value, exactly the HTML of a full mjml compile', async () => {
    const titles = ['موقع "تجاربنا" & co', '</mj-text><mj-raw>x</mj-raw>', 'Site <!-- c --> ]]>'];
    let spliced = 0;
    let checked = 0;
    for (const lang of ['ar', 'en', 'fa', 'he']) {
      for (const title of titles) {
        const kit = await kitFor(lang, title);
        for (const [index, to] of ADDRESSES.entries()) {
          const link = LINKS[index % LINKS.length]!;
          const emails: ServiceEmail[] = [
            { kind: 'confirm', to, confirmUrl: link },
            { kind: 'welcome', to, unsubscribeUrl: link, listId: 'newsletter.example.org' },
          ];
          for (const email of emails) {
            const { mjml } = serviceEmailSource(kit, email);
            if (splitMjml(mjml)) spliced += 1;
            const message = await renderServiceEmail(kit, email);
            expect(message.html, `${lang} ${title} ${to} ${email.kind}`).toBe((await mjml2html(mjml, MJML_OPTIONS)).html);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(4 * 3 * ADDRESSES.length * 2);
    // Most of them went through the splice, not a full compile.
    expect(spliced).toBeGreaterThan(checked / 2);
  });

  it('shares one layout among emails of one kind: only the recipient and the link differ', async () => {
    const kit = await kitFor('ar', 'موقع تجاربنا');
    const skeletons = new Set(
      ['a@example.com', 'b@example.org'].flatMap((to) => [splitMjml(serviceEmailSource(kit, { kind: 'confirm', to, confirmUrl: `https://example.org/confirm?token=${to}` }).mjml)?.skeleton]),
    );
    expect(skeletons.size).toBe(1);
    expect([...skeletons][0]).toBeTypeOf('string');
  });
});
