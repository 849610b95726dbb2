import { z } from 'zod';
import { expectedUrl, urlProblem, type UrlPolicy } from '../content/url-policy.js';
import { DEFAULT_IMAGE_OPTIONS, MODERN_FORMATS } from '../images/options.js';
import { languageTag } from './language-tag.js';
import { rangedNumber, type NumberRange } from './number-range.js';
import { navSchema } from './nav-schema.js';
import { publishTargetSchema, targetName } from './publish-schema.js';

/** Why a config with neither `subscribe.action` nor `serve.url` is refused. */
const NOWHERE =
  'the subscribe form posts nowhere: set "serve.url" (the https address of sahifa serve; the form then posts to <serve.url>subscribe) or "subscribe.action" (your list provider\'s endpoint)';

/** Adds the trailing slash that URL joining relies on. */
const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** An absolute URL checked by the one URL policy (src/content/url-policy.ts) that front matter uses too. */
const policyUrl = (policy: UrlPolicy) =>
  z.string({ error: expectedUrl(policy) }).superRefine((value, context) => {
    const problem = urlProblem(value, policy);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const httpUrl = policyUrl({});

/**
 * The public address of `sahifa serve`, by the one URL policy: https
 * (readers post their address to it), or http on a loopback host for trying
 * it out; no query, fragment or credentials, since paths are appended to it.
 */
const serviceUrl = policyUrl({ httpsOffLoopback: true, bare: true, example: '"https://news.example.org/"' }).transform(withTrailingSlash);

/**
 * The allowed range of every numeric setting, shared by the config and the
 * command line (`sahifa send --rate`, `--concurrency`): a value outside is
 * refused with the key or flag and the range, never used.
 */
export const NUMBER_RANGES = {
  postsPerPage: { min: 1, max: 1000, integer: true, unit: 'posts per page' },
  feedLength: { min: 1, max: 1000, integer: true, unit: 'posts' },
  wordsPerMinute: { min: 20, max: 2000, integer: true, unit: 'words per minute' },
  warnAtKb: { min: 1, max: 10240, unit: 'kilobytes' },
  rate: { min: 0.01, max: 10000, unit: 'messages per second' },
  concurrency: { min: 1, max: 50, integer: true, unit: 'SMTP connections' },
  threads: { min: 0, max: 256, integer: true, unit: 'worker threads' },
  retryDelay: { min: 0, max: 86400, unit: 'seconds' },
  maxAttempts: { min: 1, max: 20, integer: true, unit: 'attempts' },
  timeout: { min: 0.1, max: 3600, unit: 'seconds' },
  confirmHours: { min: 1, max: 720, integer: true, unit: 'hours' },
  perHour: { min: 1, max: 100000, integer: true, unit: 'requests per hour' },
  imageWidth: { min: 16, max: 8192, integer: true, unit: 'pixels' },
  imageQuality: { min: 1, max: 100, integer: true, unit: 'encoder quality' },
} as const satisfies Record<string, NumberRange>;

/** SMTP timeouts in seconds (see "sahifa send" in the README). */
const SMTP_TIMEOUT_DEFAULTS = { connection: 30, greeting: 30, socket: 60, data: 120 };

/**
 * A per-recipient placeholder token. It must come out of the templates
 * exactly as written, in the HTML part as in the text part, or `send` would
 * not find it (and every unsubscribe link would break): characters that HTML
 * escaping or MJML rewrite (`< > & " ' \` =`, spaces) are refused.
 */
const placeholderToken = z
  .string()
  .regex(/^[\w.:%$*|{}[\]#@!~^+-]{3,64}$/u, 'expected 3 to 64 letters, digits and _ . : % $ * | { } [ ] # @ ! ~ ^ + - only, e.g. "[[unsubscribe_url]]" or "%%unsubscribe%%" (< > & " \' ` = and spaces are rewritten by HTML escaping, so send could not find the token)');

/**
 * The schema of `sahifa.config.json`. Every key is documented in the README
 * under "Site configuration"; unknown keys are refused so a typo is caught.
 */
export const siteConfigSchema = z.strictObject({
  /** The site's name, shown in the header and in "Discover more from …". */
  title: z.string().trim().min(1, 'expected the site\'s name, e.g. "موقع تجاربنا"'),
  /** Public address of `dist/blog/`, used for canonical and share URLs. */
  url: httpUrl.transform(withTrailingSlash),
  /** Default language of posts: any BCP 47 tag Intl accepts, e.g. `ar-SA-u-ca-islamic-umalqura` for Hijri dates. */
  lang: languageTag.default('ar'),
  /** A sentence about the site (index page meta description). */
  description: z.string().default(''),
  /** Default author of posts. */
  author: z.string().trim().min(1).optional(),
  /**
   * Numbering system for dates and numbers (`latn` for 0-9, `arab` for ٠-٩,
   * `arabext` for ۰-۹). Left out: the language's own default.
   */
  numerals: z.enum(['latn', 'arab', 'arabext', 'beng', 'deva']).optional(),
  /** IANA time zone that dates are shown in. */
  timeZone: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'expected an IANA time zone such as "Asia/Riyadh" or "UTC"')
    .default('UTC'),
  /** Posts on each page of the home page; older ones go to `page/2/`, `page/3/`… */
  postsPerPage: rangedNumber(NUMBER_RANGES.postsPerPage).default(10),
  /** How many of the newest posts the feeds carry. */
  feedLength: rangedNumber(NUMBER_RANGES.feedLength).default(20),
  /** Words per minute used for the reading time. */
  wordsPerMinute: rangedNumber(NUMBER_RANGES.wordsPerMinute).default(200),
  /** The subscribe form in the page footer. */
  subscribe: z.strictObject({
    /** Where the form posts to (your list provider's or your own endpoint); default `<serve.url>subscribe`. */
    action: httpUrl.optional(),
    /** HTTP method of the form. */
    method: z.enum(['post', 'get']).default('post'),
    /** Name of the email field the endpoint expects. */
    field: z.string().regex(/^[\w.[\]-]+$/, 'expected a form field name such as "email"').default('email'),
    /** Hours a confirmation link of `sahifa serve` stays valid. */
    confirmHours: rangedNumber(NUMBER_RANGES.confirmHours).default(48),
    /** Whether `sahifa serve` sends a welcome email once a subscription is confirmed. */
    welcome: z.boolean().default(false),
  })
    .default({ method: 'post', field: 'email', confirmHours: 48, welcome: false }),
  /** `sahifa serve`, the subscription service (see "Readers subscribe" in the README). */
  serve: z
    .strictObject({
      /** Public address of the service (behind your HTTPS proxy); confirmation links start with it, the form posts to `subscribe`, emails unsubscribe at `unsubscribe` under it. */
      url: serviceUrl.optional(),
      /** Subscribe requests per hour one client address may make, and confirmation emails per hour to one address. */
      limits: z
        .strictObject({
          perIp: rangedNumber(NUMBER_RANGES.perHour).default(30),
          perAddress: rangedNumber(NUMBER_RANGES.perHour).default(3),
        })
        .default({ perIp: 30, perAddress: 3 }),
      /** Take the client's address from `X-Forwarded-For` when the connection comes from this machine (a local proxy). */
      trustProxy: z.boolean().default(true),
    })
    .default({ limits: { perIp: 30, perAddress: 3 }, trustProxy: true }),
  /** The newsletter email; without it no emails are built. */
  email: z
    .strictObject({
      /** Sender, `Name <address>` (used by `sahifa send`). */
      from: z.string().trim().min(3).optional(),
      /** Reply-To address (used by `sahifa send`). */
      replyTo: z.string().trim().min(3).optional(),
      /** The sender's postal address, shown in every email's footer. */
      address: z.string().trim().min(1, 'expected the postal address to show in the email footer'),
      /** Page with the subscribe form, for readers of a forwarded copy (default: the site's URL). */
      subscribeUrl: httpUrl.optional(),
      /** Logo shown in the email header instead of the site's name. */
      logo: httpUrl.optional(),
      /** Placeholders filled per recipient at send time; change them to paste the HTML into an ESP. */
      placeholders: z
        .strictObject({
          unsubscribeUrl: placeholderToken.default('[[unsubscribe_url]]'),
          name: placeholderToken.default('[[name]]'),
          email: placeholderToken.default('[[email]]'),
        })
        .superRefine((tokens, context) => {
          const entries = Object.entries(tokens);
          for (const [key, token] of entries) {
            const other = entries.find(([otherKey, otherToken]) => otherKey !== key && otherToken.includes(token));
            if (other) context.addIssue({ code: 'custom', path: [key], message: `"${token}" is also inside placeholders.${other[0]} ("${other[1]}"): give each placeholder a token of its own` });
          }
        })
        .default({ unsubscribeUrl: '[[unsubscribe_url]]', name: '[[name]]', email: '[[email]]' }),
      /** Warn when an email's HTML passes this many kilobytes (Gmail clips at about 102 KB). */
      warnAtKb: rangedNumber(NUMBER_RANGES.warnAtKb).default(90),
      /** HTTPS page that unsubscribes (gets `list`, `email` and `token`; answers one-click POSTs); default `<serve.url>unsubscribe`. */
      unsubscribeUrl: policyUrl({ httpsOnly: true }).optional(),
      /** Address that unsubscribes by mail (default: the sender's). */
      unsubscribeMailto: z.string().trim().min(3).optional(),
      /** The list's id for the List-Id header (default: `newsletter.<site host>`). */
      listId: z.string().regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/i, 'expected a dotted name such as "newsletter.example.org"').optional(),
    })
    .optional(),
  /** How local images are resized and converted (see "Images" in the README). */
  images: z
    .strictObject({
      /** Widths written for the page, capped at each image's own width. */
      widths: z
        .array(rangedNumber(NUMBER_RANGES.imageWidth), { error: 'expected a list of widths in pixels, e.g. [480, 960, 1440]' })
        .min(1, 'expected at least one width, e.g. [960]')
        .max(8, 'expected at most 8 widths')
        .default([...DEFAULT_IMAGE_OPTIONS.widths]),
      /** Modern formats written beside each image's own (JPEG or PNG). */
      formats: z
        .array(z.enum(MODERN_FORMATS, { error: `expected ${MODERN_FORMATS.map((format) => `"${format}"`).join(' or ')}` }), { error: 'expected a list of formats, e.g. ["avif", "webp"] (or [] for none)' })
        .refine((formats) => new Set(formats).size === formats.length, 'expected each format once')
        .default([...DEFAULT_IMAGE_OPTIONS.formats]),
      /** Encoder quality per lossy format. */
      quality: z
        .strictObject({
          jpeg: rangedNumber(NUMBER_RANGES.imageQuality).default(DEFAULT_IMAGE_OPTIONS.quality.jpeg),
          webp: rangedNumber(NUMBER_RANGES.imageQuality).default(DEFAULT_IMAGE_OPTIONS.quality.webp),
          avif: rangedNumber(NUMBER_RANGES.imageQuality).default(DEFAULT_IMAGE_OPTIONS.quality.avif),
        })
        .default({ ...DEFAULT_IMAGE_OPTIONS.quality }),
    })
    .default({ widths: [...DEFAULT_IMAGE_OPTIONS.widths], formats: [...DEFAULT_IMAGE_OPTIONS.formats], quality: { ...DEFAULT_IMAGE_OPTIONS.quality } }),
  /** Where subscribers and the send log are kept, relative to the site root. */
  database: z.string().min(1).default('.sahifa/sahifa.db'),
  /** How `sahifa send` sends. */
  send: z
    .strictObject({
      /** Messages per second, at most. */
      rate: rangedNumber(NUMBER_RANGES.rate).default(10),
      /** SMTP connections used at once. */
      concurrency: rangedNumber(NUMBER_RANGES.concurrency).default(2),
      /** Seconds before the first retry of a message the server deferred (4xx); doubled each time. */
      retryDelay: rangedNumber(NUMBER_RANGES.retryDelay).default(60),
      /** Attempts per message before a deferred one counts as failed. */
      maxAttempts: rangedNumber(NUMBER_RANGES.maxAttempts).default(5),
      /** Seconds to wait for the SMTP server: to connect, for its greeting, through any silence, and for its reply to a whole message. */
      timeouts: z
        .strictObject({
          connection: rangedNumber(NUMBER_RANGES.timeout).default(SMTP_TIMEOUT_DEFAULTS.connection),
          greeting: rangedNumber(NUMBER_RANGES.timeout).default(SMTP_TIMEOUT_DEFAULTS.greeting),
          socket: rangedNumber(NUMBER_RANGES.timeout).default(SMTP_TIMEOUT_DEFAULTS.socket),
          data: rangedNumber(NUMBER_RANGES.timeout).default(SMTP_TIMEOUT_DEFAULTS.data),
        })
        .default(SMTP_TIMEOUT_DEFAULTS),
      /** DKIM signing: the private key is read from a file, never from the config. */
      dkim: z
        .strictObject({
          domainName: z.string().min(3),
          keySelector: z.string().min(1),
          privateKeyFile: z.string().min(1),
        })
        .optional(),
    })
    .default({ rate: 10, concurrency: 2, retryDelay: 60, maxAttempts: 5, timeouts: SMTP_TIMEOUT_DEFAULTS }),
  /** Site search: the `search/` page and its Pagefind index (see "Search" in the README); `false` leaves both out. */
  search: z.boolean().default(true),
  /** The header menu: pages by slug or addresses (see "Pages" in the README). */
  nav: navSchema,
  /** Where `sahifa publish` puts the blog. */
  publish: z
    .strictObject({
      /** The target used without `--target` (default: the only one, when there is one). */
      default: targetName.optional(),
      /** Targets by name. */
      targets: z.record(targetName, publishTargetSchema),
    })
    .optional(),
})
  // Checked even when other keys are wrong (`when`), so every problem is reported in one run.
  .refine((config) => config.subscribe?.action !== undefined || config.serve?.url !== undefined, {
    path: ['subscribe', 'action'],
    message: NOWHERE,
    when: () => true,
  })
  .transform(serviceDefaults);

/**
 * Fills the addresses that follow from `serve.url`: the form's action
 * (`<serve.url>subscribe`) and the emails' unsubscribe page
 * (`<serve.url>unsubscribe`), unless set. With neither `subscribe.action`
 * nor `serve.url` the form would post nowhere: an error naming both.
 */
function serviceDefaults<Config extends { subscribe: { action?: string | undefined }; serve?: { url?: string | undefined } | undefined; email?: { unsubscribeUrl?: string | undefined } | undefined }>(
  config: Config,
  context: z.core.$RefinementCtx<Config>,
) {
  const service = config.serve?.url;
  const action = config.subscribe.action ?? (service === undefined ? undefined : new URL('subscribe', service).href);
  if (action === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['subscribe', 'action'],
      message: NOWHERE,
    });
    return z.NEVER;
  }
  const unsubscribeUrl = config.email?.unsubscribeUrl ?? (service === undefined ? undefined : new URL('unsubscribe', service).href);
  return {
    ...config,
    subscribe: { ...config.subscribe, action },
    ...(config.email ? { email: { ...config.email, unsubscribeUrl } } : {}),
  };
}

/** The site configuration after validation and defaults. */
export type SiteConfig = z.output<typeof siteConfigSchema>;
