import Handlebars from 'handlebars';
import { randomBytes } from 'node:crypto';
import { directionOf } from '../config/direction.js';
import { fill } from '../config/locales.js';
import type { SiteConfig } from '../config/schema.js';
import { EMAIL_COLORS, startSide } from '../render/email/block-styles.js';
import { compileMjml } from '../render/email/splice-mjml.js';
import { headerText } from '../render/email/subject.js';
import { isolateRuns } from '../render/shared/helpers.js';
import { loadTemplateSet, type TemplateSet } from '../render/template-set.js';
import { emailHelpers } from '../render/email/render-email.js';
import { senderDomain } from '../send/personalize.js';
import type { OutgoingMessage } from '../send/transport.js';
import { fillStencil, makeStencil, type RenderedBody, type Stencil } from './mail-stencil.js';
import { fillMimeStencil, makeMimeStencil, type MimeStencil } from './mime-stencil.js';
import { pooledRandomBytes } from './random-pool.js';
import { serviceStrings, type ServiceStrings } from './strings.js';

/** The two emails of the service. */
export type ServiceEmailKind = 'confirm' | 'welcome';

/** What an email of the service needs. */
export interface ServiceEmail {
  kind: ServiceEmailKind;
  /** The recipient's normalised address. */
  to: string;
  /** `confirm`: the confirmation link. */
  confirmUrl?: string;
  /** `welcome`: the subscriber's unsubscribe link. */
  unsubscribeUrl?: string;
  /** `welcome`: the list's id, for List-Id. */
  listId?: string;
  /** The Message-ID (`<…@domain>`), the same on every attempt; a new one when missing. */
  messageId?: string;
}

/** Config, templates and strings of the emails. */
export interface MailKit {
  config: SiteConfig;
  /** The email branch's templates (the newsletter's own, with their partials). */
  templates: TemplateSet;
  strings: ServiceStrings;
  /** The language of `strings`. */
  lang: string;
  /** Hours a confirmation link works. */
  confirmHours: number;
  /** Each kind's stencil, once {@link warmServiceEmails} made it (see mail-stencil.ts); a kind without one is rendered whole. */
  stencils?: Partial<Record<ServiceEmailKind, Stencil>>;
  /** The confirmation email's whole message as a stencil, once {@link warmServiceEmails} made it (see mime-stencil.ts); else nodemailer composes each. */
  mimeStencil?: MimeStencil;
}

const FONT_STACK = "Tahoma, 'Segoe UI', 'Geeza Pro', 'Arial Hebrew', Arial, Helvetica, sans-serif";

/** A sentence as email HTML: runs against the direction isolated, the address in `<span dir="ltr">`. */
function emailSentence(template: string, dir: 'rtl' | 'ltr', values: Record<string, string | number>): Handlebars.SafeString {
  const { email, ...rest } = values;
  return new Handlebars.SafeString(
    template
      .split('{email}')
      .map((part) => isolateRuns(fill(part, rest), dir, 'span'))
      .join(`<span dir="ltr">${Handlebars.escapeExpression(String(email ?? ''))}</span>`),
  );
}

/** An email of the service before mjml: its MJML, plain text and subject. */
export interface ServiceEmailSource {
  mjml: string;
  text: string;
  subject: string;
}

/**
 * The MJML and plain text of the confirmation or welcome email, from
 * `templates/email/service.mjml.hbs` (the newsletter's header partial and
 * colours, its MJML attributes: right to left for Arabic) and
 * `service.txt.hbs`, in the site's language. Every value is escaped by the
 * templates.
 *
 * @param kit   Config, templates and strings.
 * @param email Which email, to whom, with which links.
 */
export function serviceEmailSource(kit: MailKit, email: ServiceEmail): ServiceEmailSource {
  const { config, strings } = kit;
  if (!config.email) throw new Error('set "email.from" and "email.address" in sahifa.config.json: sahifa serve sends confirmation emails');
  const dir = directionOf(kit.lang);
  const site = config.title;
  const values = { site, email: email.to, hours: kit.confirmHours };
  const confirm = email.kind === 'confirm';
  const subject = headerText(fill(confirm ? strings.confirmTitle : strings.welcomeSubject, { site }));
  const lead = confirm ? strings.confirmEmailLead : strings.welcomeLead;
  const context = {
    kind: email.kind,
    lang: kit.lang,
    dir,
    align: startSide(dir),
    colors: EMAIL_COLORS,
    fontStack: FONT_STACK,
    site: { title: site, url: config.url, lang: config.lang },
    siteDir: directionOf(config.lang),
    logo: config.email.logo,
    subject,
    preheader: fill(lead, { ...values }),
    paragraphs: [emailSentence(lead, dir, values)],
    paragraphsText: [fill(lead, values)],
    button: confirm && email.confirmUrl ? { href: email.confirmUrl, label: strings.confirmButton } : undefined,
    after: confirm ? strings.confirmEmailIgnore : undefined,
    address: config.email.address,
    unsubscribeUrl: email.unsubscribeUrl,
    unsubscribeLabel: kit.strings.unsubscribeTitle,
  };
  return { mjml: kit.templates.render('service.mjml.hbs', context), text: `${kit.templates.render('service.txt.hbs', context).trim()}\n`, subject };
}

/** The email's link: the confirmation link or the unsubscribe link, by kind. */
const linkOf = (email: ServiceEmail) => (email.kind === 'confirm' ? email.confirmUrl : email.unsubscribeUrl);

/**
 * The HTML, plain text and subject of an email rendered whole: the layout
 * is compiled by mjml once per kind and language and each email spliced
 * into it (src/render/email/splice-mjml.ts), which gives mjml's own output
 * byte for byte.
 */
async function renderBody(kit: MailKit, email: ServiceEmail): Promise<RenderedBody> {
  const { mjml, text, subject } = serviceEmailSource(kit, email);
  return { html: await compileMjml(mjml), text, subject };
}

/**
 * Renders the confirmation or welcome email (see {@link serviceEmailSource}):
 * from its kind's stencil when {@link warmServiceEmails} made one (only the
 * address and the link filled in), else whole.
 *
 * @param kit   Config, templates and strings.
 * @param email Which email, to whom, with which links.
 * @returns The message, ready for the transport.
 */
export async function renderServiceEmail(kit: MailKit, email: ServiceEmail): Promise<OutgoingMessage> {
  const { config } = kit;
  const from = config.email?.from;
  if (!from || !config.email) throw new Error('set "email.from" and "email.address" in sahifa.config.json: sahifa serve sends confirmation emails');
  const stencil = kit.stencils?.[email.kind];
  const link = linkOf(email);
  // A stencil has the link's place (its button or footer line); an email without a link is rendered whole.
  const { html, text, subject } = stencil && link ? fillStencil(stencil, { to: email.to, link }) : await renderBody(kit, email);
  const site = config.title;
  const messageId = email.messageId ?? `<${email.kind}.${randomBytes(12).toString('hex')}@${senderDomain(from)}>`;
  // From the pool, not a trip into OpenSSL for the message's boundary (nodemailer's default; it still draws one for each
  // part it composes, not for a message filled into the stencil). Base64 lines never hold the `-` and `_` around it in a
  // boundary line, so it cannot collide with the content.
  const baseBoundary = pooledRandomBytes(8).toString('hex');
  // A confirmation filled into its stencil is filled into its whole message's too (see mime-stencil.ts).
  const raw = stencil && link && email.kind === 'confirm' && !email.listId && kit.mimeStencil ? fillMimeStencil(kit.mimeStencil, { to: email.to, messageId, date: new Date(), boundary: baseBoundary, html, text }) : undefined;
  const message: OutgoingMessage = {
    from,
    ...(config.email.replyTo ? { replyTo: config.email.replyTo } : {}),
    to: email.to,
    subject,
    html,
    text,
    messageId,
    // Chosen, not detected: nodemailer's detection scans the whole HTML twice per email, and quoted-printable
    // encodes in JavaScript what base64 does natively (a third less CPU per confirmation email in the outbox's thread).
    textEncoding: 'base64',
    baseBoundary,
    ...(raw === undefined ? {} : { raw }),
  };
  if (email.unsubscribeUrl && email.listId) {
    message.list = { id: { url: email.listId, comment: site }, unsubscribe: [[{ url: email.unsubscribeUrl }]] };
    message.headers = { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }
  return message;
}

/**
 * Compiles the layouts of both emails now (mjml loads and compiles each
 * once) and makes each kind's stencil (see mail-stencil.ts) and the
 * confirmation's whole-message stencil (see mime-stencil.ts), so that no
 * reader's request or email pays for it later.
 *
 * @param kit Config, templates and strings; its `stencils` and `mimeStencil` are set here.
 */
export async function warmServiceEmails(kit: MailKit): Promise<void> {
  const full: MailKit = { ...kit, stencils: undefined };
  const confirm = await makeStencil(({ to, link }) => renderBody(full, { kind: 'confirm', to, confirmUrl: link }));
  const welcome = await makeStencil(({ to, link }) => renderBody(full, { kind: 'welcome', to, unsubscribeUrl: link, listId: 'warm.example.org' }));
  kit.stencils = { ...(confirm ? { confirm } : {}), ...(welcome ? { welcome } : {}) };
  const from = kit.config.email?.from;
  if (confirm && from) kit.mimeStencil = await makeMimeStencil({ from, ...(kit.config.email?.replyTo ? { replyTo: kit.config.email.replyTo } : {}), subject: confirm.subject });
}

/**
 * The kit of a site's service emails: its email templates (the site's
 * overrides under `templates/email/`, else the theme's) and the strings of
 * its language.
 *
 * @param root   The site root.
 * @param config The site configuration.
 */
export async function loadMailKit(root: string, config: SiteConfig): Promise<MailKit> {
  const { lang, strings } = serviceStrings(config.lang);
  return { config, templates: await loadTemplateSet(root, 'email', emailHelpers), strings, lang, confirmHours: config.subscribe.confirmHours };
}
