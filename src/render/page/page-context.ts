import { calendarDay } from '../../content/post-date.js';
import { directionOf, type Direction } from '../../config/direction.js';
import { fill, localeFor, localeLanguage, type LocaleStrings } from '../../config/locales.js';
import type { SiteConfig } from '../../config/schema.js';
import { navLinks, type NavLink } from './nav.js';
import { subscribeForm, type SubscribeForm } from './subscribe-form.js';

/** What every page template gets, whatever the page. */
export interface BaseContext {
  site: { title: string; url: string; lang: string; dir: Direction; description: string };
  /** The page language's fixed strings, with `{site}` filled in. */
  strings: LocaleStrings;
  /** The language of `strings`: the page's when sahifa has its table, else the site's, else `en`. */
  stringsLang: string;
  subscribe: SubscribeForm;
  /** Relative path from the page to the blog root (`../` for a post), for assets and links. */
  root: string;
  /** Absolute addresses of the feeds, for autodiscovery links. */
  feeds: { atom: string; rss: string; json: string };
  year: number;
  /** The header menu (config `nav`), addresses relative to the page. */
  nav: NavLink[];
  /** The search page's address from this page, when the site has search. */
  searchHref?: string;
}

/**
 * The context shared by every page: the site, the strings of the page's
 * language, the subscribe form and the way back to the blog root.
 *
 * @param config The site configuration.
 * @param lang   Language of the page.
 * @param root   Relative path from the page to the blog root.
 * @param now    Date used for the copyright year.
 */
export function baseContext(config: SiteConfig, lang: string, root: string, now: Date): BaseContext {
  const strings = localeFor(lang, config.lang);
  return {
    site: { title: config.title, url: config.url, lang: config.lang, dir: directionOf(config.lang), description: config.description },
    strings: { ...strings, discoverMore: fill(strings.discoverMore, { site: config.title }) },
    stringsLang: localeLanguage(lang, config.lang),
    subscribe: subscribeForm(config),
    root,
    feeds: feedUrls(config),
    year: yearAt(now, config.timeZone),
    nav: navLinks(config, root),
    ...(config.search ? { searchHref: `${root}search/` } : {}),
  };
}

/** The last year asked for: every page of a build asks with the same clock and zone. */
let lastYear: { ms: number; timeZone: string; year: number } | undefined;

function yearAt(now: Date, timeZone: string): number {
  if (lastYear?.ms !== now.getTime() || lastYear.timeZone !== timeZone) lastYear = { ms: now.getTime(), timeZone, year: Number(calendarDay(now, timeZone).slice(0, 4)) };
  return lastYear.year;
}

/**
 * Where the feeds are: `feed.xml` (Atom), `rss.xml` (RSS 2.0), `feed.json` (JSON Feed 1.1).
 *
 * @param config The site configuration.
 */
export function feedUrls(config: Pick<SiteConfig, 'url'>): BaseContext['feeds'] {
  return {
    atom: new URL('feed.xml', config.url).href,
    rss: new URL('rss.xml', config.url).href,
    json: new URL('feed.json', config.url).href,
  };
}

/** Open Graph locales by language tag: a site has few tags, and each `Intl.Locale` costs. */
const ogLocales = new Map<string, string>();

/**
 * The Open Graph form of a language tag (`ar` → `ar`, `en-GB` → `en_GB`,
 * `ar-SA-u-ca-islamic-umalqura` → `ar_SA`).
 *
 * @param lang A BCP 47 tag.
 */
export function ogLocale(lang: string): string {
  let locale = ogLocales.get(lang);
  if (locale === undefined) {
    const { language, region } = new Intl.Locale(lang);
    locale = region ? `${language}_${region}` : language;
    ogLocales.set(lang, locale);
  }
  return locale;
}

