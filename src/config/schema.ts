import { z } from 'zod';
import { LANGUAGE_TAG } from './direction.js';

/** Adds the trailing slash that URL joining relies on. */
const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "https://example.org/"' });

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
});

/** The site configuration after validation and defaults. */
export type SiteConfig = z.output<typeof siteConfigSchema>;
