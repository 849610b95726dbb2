import { z } from 'zod';
import { expectedUrl, urlProblem, type UrlPolicy } from '../content/url-policy.js';
import { LANGUAGE_TAG } from './direction.js';
import { publishTargetSchema, targetName } from './publish-schema.js';

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
 * The schema of `sahifa.config.json`. Every key is documented in the README
 * under "Site configuration"; unknown keys are refused so a typo is caught.
 */
export const siteConfigSchema = z.strictObject({
  /** The site's name, shown in the header and in "Discover more from …". */
  title: z.string().trim().min(1, 'expected the site\'s name, e.g. "موقع تجاربنا"'),
  /** Public address of `dist/blog/`, used for canonical and share URLs. */
  url: httpUrl.transform(withTrailingSlash),
  /** Default language of posts (BCP 47). */
  lang: z.string().regex(LANGUAGE_TAG, 'expected a language tag such as "ar" or "en-GB"').default('ar'),
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
  postsPerPage: z.number().int().positive().default(10),
  /** How many of the newest posts the feeds carry. */
  feedLength: z.number().int().positive().default(20),
  /** Words per minute used for the reading time. */
  wordsPerMinute: z.number().int().positive().default(200),
  /** The subscribe form in the page footer. */
  subscribe: z.strictObject({
    /** Where the form posts to (your list provider's or your own endpoint). */
    action: httpUrl,
    /** HTTP method of the form. */
    method: z.enum(['post', 'get']).default('post'),
    /** Name of the email field the endpoint expects. */
    field: z.string().regex(/^[\w.[\]-]+$/, 'expected a form field name such as "email"').default('email'),
  }),
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
          unsubscribeUrl: z.string().min(1).default('[[unsubscribe_url]]'),
          name: z.string().min(1).default('[[name]]'),
          email: z.string().min(1).default('[[email]]'),
        })
        .default({ unsubscribeUrl: '[[unsubscribe_url]]', name: '[[name]]', email: '[[email]]' }),
      /** Warn when an email's HTML passes this many kilobytes (Gmail clips at about 102 KB). */
      warnAtKb: z.number().positive().default(90),
      /** HTTPS page that unsubscribes (gets `list`, `email` and `token`; answers one-click POSTs). */
      unsubscribeUrl: policyUrl({ httpsOnly: true }).optional(),
      /** Address that unsubscribes by mail (default: the sender's). */
      unsubscribeMailto: z.string().trim().min(3).optional(),
      /** The list's id for the List-Id header (default: `newsletter.<site host>`). */
      listId: z.string().regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/i, 'expected a dotted name such as "newsletter.example.org"').optional(),
    })
    .optional(),
  /** Where subscribers and the send log are kept, relative to the site root. */
  database: z.string().min(1).default('.sahifa/sahifa.db'),
  /** How `sahifa send` sends. */
  send: z
    .strictObject({
      /** Messages per second, at most. */
      rate: z.number().positive().default(10),
      /** SMTP connections used at once. */
      concurrency: z.number().int().positive().max(50).default(2),
      /** Seconds before the first retry of a message the server deferred (4xx); doubled each time. */
      retryDelay: z.number().nonnegative().default(60),
      /** Attempts per message before a deferred one counts as failed. */
      maxAttempts: z.number().int().positive().default(5),
      /** DKIM signing: the private key is read from a file, never from the config. */
      dkim: z
        .strictObject({
          domainName: z.string().min(3),
          keySelector: z.string().min(1),
          privateKeyFile: z.string().min(1),
        })
        .optional(),
    })
    .default({ rate: 10, concurrency: 2, retryDelay: 60, maxAttempts: 5 }),
  /** Where `sahifa publish` puts the blog. */
  publish: z
    .strictObject({
      /** The target used without `--target` (default: the only one, when there is one). */
      default: targetName.optional(),
      /** Targets by name. */
      targets: z.record(targetName, publishTargetSchema),
    })
    .optional(),
});

/** The site configuration after validation and defaults. */
export type SiteConfig = z.output<typeof siteConfigSchema>;
