import Handlebars from 'handlebars';
import type { VFileMessage } from 'vfile-message';
import { directionOf, type Direction } from '../../config/direction.js';
import { fill, localeFor, localeLanguage } from '../../config/locales.js';
import type { SiteConfig } from '../../config/schema.js';
import type { Post } from '../../content/post.js';
import { machineDate } from '../../content/post-date.js';
import { reportError } from '../../diagnostics/build-failure.js';
import { blockDirection, directionHelpers } from '../block-direction.js';
import { formatDate } from '../format.js';
import { isolateFootnoteRefs } from '../footnote-direction.js';
import { outlineHeadings } from '../heading-outline.js';
import { isolateRuns, scriptJson } from '../shared/helpers.js';
import { shareLinks } from '../shared/share-links.js';
import type { Helpers, TemplateSet } from '../template-set.js';
import { EMAIL_COLORS, startSide } from './block-styles.js';
import { emailImage } from './email-images.js';
import { emailTree } from './email-tree.js';
import { mjmlBlocks } from './mjml-blocks.js';
import { plainText } from './plain-text.js';
import { compileMjml } from './splice-mjml.js';
import { PREHEADER_PADDING, preheaderText } from './preheader.js';
import { headerText } from './subject.js';

/** Configuration of the email, required to build one. */
export type EmailConfig = NonNullable<SiteConfig['email']>;

/** What `dist/email/<slug>.json` holds. */
export interface EmailMeta {
  subject: string;
  preheader: string;
  /** The post's canonical page. */
  url: string;
  /** Size of the HTML part in bytes (Gmail clips past about 102 KB). */
  htmlBytes: number;
  /** Size of the plain-text part in bytes. */
  textBytes: number;
  lang: string;
  dir: string;
  /** The placeholders to fill per recipient at send time. */
  placeholders: EmailConfig['placeholders'];
}

/** A post's newsletter email in its three forms. */
export interface RenderedEmail {
  mjml: string;
  html: string;
  text: string;
  meta: EmailMeta;
}

/** Helpers of the email templates: `{{isolate text dir}}` with `<span dir>`, and `{{json}}`. */
export const emailHelpers: Helpers = {
  ...directionHelpers,
  isolate: (text: unknown, dir: unknown) => new Handlebars.SafeString(isolateRuns(String(text ?? ''), dir === 'ltr' ? 'ltr' : 'rtl', 'span')),
  json: (value: unknown) => new Handlebars.SafeString(scriptJson(value)),
};

/**
 * "You receive this email because you subscribed to {site} as {email}." as
 * HTML: runs against the direction isolated, and the email placeholder
 * isolated whole, so that isolation never splits a token like `*|EMAIL|*`
 * that the sender or an ESP must find intact.
 */
function withPlaceholder(template: string, site: string, placeholder: string, dir: Direction): string {
  const marker = `<span dir="ltr">${Handlebars.escapeExpression(placeholder)}</span>`;
  return template
    .split('{email}')
    .map((part) => isolateRuns(fill(part, { site }), dir, 'span'))
    .join(marker);
}

/** The cover as the email template sees it: `post.image` (absolute), `post.imageWidth` (shown width), `post.imageAlt`. */
function emailCover(post: Post): { image?: string; imageWidth?: number; imageAlt?: string } {
  if (!post.cover) return {};
  const cover = emailImage(post.cover, post.pictures);
  return { image: new URL(cover.src, post.url).href, imageWidth: cover.width, imageAlt: post.coverAlt ?? '' };
}

/** System fonts only: most mail clients ignore web fonts, and a blocking font request slows the open. */
const FONT_STACK = "Tahoma, 'Segoe UI', 'Geeza Pro', 'Arial Hebrew', Arial, Helvetica, sans-serif";

/**
 * Renders a post's newsletter email from the same hast as its page: the
 * Handlebars email layout writes MJML around the body's MJML blocks, mjml
 * compiles it with strict validation, and the plain-text part is written
 * from the tree.
 *
 * @param post      The post.
 * @param config    The site configuration.
 * @param email     The site's email configuration.
 * @param templates The email branch's templates.
 * @returns The email, or `undefined` after recording an error on the post's file.
 */
export async function renderEmail(post: Post, config: SiteConfig, email: EmailConfig, templates: TemplateSet): Promise<RenderedEmail | undefined> {
  const strings = localeFor(post.lang, config.lang);
  const title = headerText(post.meta.title);
  const preheader = headerText(preheaderText(post.meta.description, post.summary));
  const context = {
    lang: post.lang,
    dir: post.dir,
    align: startSide(post.dir),
    colors: EMAIL_COLORS,
    fontStack: FONT_STACK,
    site: { title: config.title, url: config.url, lang: config.lang },
    siteDir: directionOf(config.lang),
    stringsLang: localeLanguage(post.lang, config.lang),
    logo: email.logo,
    post: {
      title,
      description: post.meta.description,
      dateIso: machineDate(post.meta.date, post.date),
      dateText: formatDate(post.date, post.lang, config),
      author: post.meta.author ?? config.author,
      url: post.url,
      ...emailCover(post),
    },
    preheader,
    preheaderPadding: PREHEADER_PADDING,
    body: mjmlBlocks(emailTree(isolateFootnoteRefs(outlineHeadings(post.tree), post.dir), post.dir, post.url, post.pictures)),
    bodyText: plainText(post.tree, post.dir, post.url),
    share: shareLinks(post.url, title, strings),
    subscribeUrl: email.subscribeUrl ?? config.url,
    address: email.address,
    placeholders: email.placeholders,
    whyReceivingHtml: new Handlebars.SafeString(withPlaceholder(strings.whyReceiving, config.title, email.placeholders.email, blockDirection(strings.whyReceiving, post.dir))),
    strings: {
      ...strings,
      discoverMore: fill(strings.discoverMore, { site: config.title }),
      whyReceiving: fill(strings.whyReceiving, { site: config.title, email: email.placeholders.email }),
    },
  };
  const mjml = templates.render('email.mjml.hbs', context);
  const text = `${templates.render('email.txt.hbs', context).trim()}\n`;
  let html: string;
  try {
    html = await compileMjml(mjml);
  } catch (error) {
    const details = (error as { errors?: Array<{ formattedMessage?: string; message?: string }> }).errors ?? [];
    const reasons = details.map((detail) => detail.formattedMessage ?? detail.message).join('; ') || (error as Error).message;
    reportError(post.file, `the email template (templates/email/email.mjml.hbs) made invalid MJML for this post: ${reasons}`, undefined, 'email-mjml');
    return undefined;
  }
  const htmlBytes = Buffer.byteLength(html);
  if (htmlBytes > email.warnAtKb * 1024) {
    post.file.message(
      `the email is ${(htmlBytes / 1024).toFixed(1)} KB of HTML, over ${email.warnAtKb} KB: Gmail clips messages past about 102 KB; shorten the post or split it`,
      { ruleId: 'email-size', source: 'sahifa' },
    );
  }
  return {
    mjml,
    html,
    text,
    meta: { subject: title, preheader, url: post.url, htmlBytes, textBytes: Buffer.byteLength(text), lang: post.lang, dir: post.dir, placeholders: email.placeholders },
  };
}

