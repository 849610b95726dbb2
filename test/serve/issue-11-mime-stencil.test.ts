import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/send/smtp-transport.js';
import type { OutgoingMessage } from '../../src/send/transport.js';
import { renderServiceEmail, warmServiceEmails, type MailKit } from '../../src/serve/mail.js';
import { fillMimeStencil, makeMimeStencil } from '../../src/serve/mime-stencil.js';
import { startSmtpServer } from '../helpers/smtp.js';
import { kitFor } from './service-kit.js';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** What nodemailer composes from the message's own fields, the raw left out, as the transport sends a message without one (at the raw's date): the reference. */
async function composedByNodemailer(message: OutgoingMessage): Promise<string> {
  const date = new Date(/\r\nDate: ([^\r\n]+)\r\n/.exec(message.raw ?? '')?.[1] ?? Date.now());
  const { raw: _raw, ...fields } = message;
  return (await new MailComposer({ ...fields, date }).compile().build()).toString('utf8');
}

// Plain ASCII addresses of other shapes than the probes, up to the 71 characters a stencil carries.
const ADDRESSES = ["o'brien+x&y=z@example.com", 'a.b-c_d@xn--mgbh0fb.example', `${'q'.repeat(59)}@example.org`, 'sahifa0to@example.org'];
const LINKS = ['https://example.org/newsletter/confirm?token=abc&x=1', 'https://example.org/c?t=</mj-button>\r\n.\r\n', `https://example.org/c?t=${'z'.repeat(3000)}`];

async function warmKit(lang: string, title: string, from?: string): Promise<MailKit> {
  const kit = await kitFor(lang, title);
  if (from) kit.config.email!.from = from;
  await warmServiceEmails(kit);
  return kit;
}

describe('issue 11: a confirmation email is filled into its whole message, as nodemailer would compose it', () => {
  it('gives nodemailer\'s bytes for every language, sender and value a stencil carries', async () => {
    let checked = 0;
    for (const lang of ['ar', 'en', 'fa', 'he']) {
      for (const [title, from] of [
        ['موقع "تجاربنا" & co', undefined],
        ['Site', `"${'مدونة طويلة الاسم '.repeat(6)}" <news@example.org>`],
      ] as const) {
        const kit = await warmKit(lang, title, from);
        expect(kit.mimeStencil, `${lang} ${title}`).toBeDefined();
        for (const [index, to] of ADDRESSES.entries()) {
          const message = await renderServiceEmail(kit, { kind: 'confirm', to, confirmUrl: LINKS[index % LINKS.length]!, messageId: `<confirm.${index}abcdef@example.org>` });
          expect(message.raw, `${lang} ${to}`).toBeDefined();
          expect(message.raw).toBe(await composedByNodemailer(message));
          checked += 1;
        }
      }
    }
    expect(checked).toBe(4 * 2 * ADDRESSES.length);
  });

  it('leaves to nodemailer what a stencil cannot carry: an address it would rewrite, a long one, a long Message-ID, a welcome email', async () => {
    const kit = await warmKit('ar', 'موقع');
    const link = 'https://example.org/c?token=x';
    for (const email of [
      { kind: 'confirm', to: 'قارئ@example.com', confirmUrl: link },
      { kind: 'confirm', to: '"x y"@example.com', confirmUrl: link },
      { kind: 'confirm', to: 'a..b@example.com', confirmUrl: link },
      { kind: 'confirm', to: 'reader@Example.ORG', confirmUrl: link },
      { kind: 'confirm', to: `${'q'.repeat(60)}@example.org`, confirmUrl: link },
      { kind: 'confirm', to: 'reader@example.com', confirmUrl: link, messageId: `<${'m'.repeat(60)}@example.org>` },
      { kind: 'welcome', to: 'reader@example.com', unsubscribeUrl: link, listId: 'news.example.org' },
    ] as const) {
      const message = await renderServiceEmail(kit, email);
      expect(message.raw, email.to).toBeUndefined();
      expect(message.html.length).toBeGreaterThan(0);
    }
  });

  it('fills nothing for values that would change the message\'s shape', async () => {
    const stencil = await makeMimeStencil({ from: 'Site <news@example.org>', subject: 'Confirm' });
    expect(stencil).toBeDefined();
    const values = { to: 'a@example.org', messageId: '<x@example.org>', date: new Date(), boundary: '0123456789abcdef', html: '<p>x</p>', text: 'x\n' };
    expect(fillMimeStencil(stencil!, values)).toContain('\r\nTo: a@example.org\r\n');
    for (const change of [{ to: 'a@example.org\r\nBcc: b@example.org' }, { to: 'a b@example.org' }, { to: '"a"@example.org' }, { to: '.a@example.org' }, { to: 'a@[127.0.0.1]' }, { to: 'a@8.97804' }, { to: 'a@1.2.3.4' }, { messageId: `<${'m'.repeat(62)}>` }, { messageId: '<x@example.org>\r\nX: y' }, { boundary: 'short' }, { boundary: '0123456789ABCDEF' }, { html: '' }, { text: '' }]) {
      expect(fillMimeStencil(stencil!, { ...values, ...change }), JSON.stringify(change)).toBeUndefined();
    }
  });

  it('goes through real SMTP as it is: the envelope, the headers and both parts arrive, signed with DKIM when configured', async () => {
    const smtp = await startSmtpServer();
    const root = await mkdtemp(join(tmpdir(), 'sahifa-mime-'));
    roots.push(root);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await writeFile(join(root, 'dkim.pem'), privateKey);
    const kit = await warmKit('ar', 'موقع "تجاربنا"');
    try {
      for (const dkim of [undefined, { domainName: 'example.org', keySelector: 'sahifa', privateKeyFile: join(root, 'dkim.pem') }]) {
        const transport = createSmtpTransport({ url: smtp.url, connections: 1, dkim });
        const to = dkim ? 'signed@example.com' : 'reader@example.com';
        const message = await renderServiceEmail(kit, { kind: 'confirm', to, confirmUrl: 'https://example.org/c?token=x&y=1', messageId: `<confirm.${to}>` });
        expect(message.raw).toBeDefined();
        let handedOver = 0;
        expect((await transport.send(message, () => (handedOver += 1))).status).toBe('sent');
        await transport.close();
        expect(handedOver).toBe(1);
        const received = smtp.received.at(-1)!;
        expect(received.to).toEqual([to]);
        const { parsed } = received;
        expect(parsed.html).toBe(message.html);
        expect(parsed.text).toBe(message.text);
        expect(parsed.subject).toBe(message.subject);
        expect(parsed.messageId).toBe(message.messageId);
        expect(parsed.from?.value[0]?.address).toBe('news@example.org');
        expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(to);
        expect(parsed.headers.has('dkim-signature')).toBe(dkim !== undefined);
      }
      expect(smtp.received).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });
});
