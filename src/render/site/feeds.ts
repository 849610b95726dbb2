import type { Root } from 'hast';
import { create } from 'xmlbuilder2';
import type { SiteConfig } from '../../config/schema.js';
import { plainLine, xmlSafe } from '../../content/plain-text.js';
import type { PostSummary } from '../../content/post.js';
import { feedUrls } from '../page/page-context.js';
import { absoluteHtml } from './absolute-html.js';

/** A post as every feed format needs it. */
interface FeedItem {
  title: string;
  url: string;
  summary: string;
  html: string;
  published: Date;
  lang: string;
  author: string;
  tags: string[];
  image?: string;
}

// Every text of a feed goes through these: XML 1.0 forbids some characters
// (U+000B from Word, lone surrogates) and xmlbuilder2 writes them unchanged.
const line = (text: string) => plainLine(text);
const block = (text: string) => xmlSafe(text);

/**
 * A post as the feeds take it: with its body tree, or with the body's feed
 * HTML ({@link feedHtml}) already made, as a build keeps it for cached posts.
 */
export type FeedPost = PostSummary & ({ tree: Root } | { feedHtml: string });

/**
 * A post's body as feeds carry it: HTML with absolute addresses.
 *
 * @param tree The body.
 * @param url  The post's page address.
 */
export function feedHtml(tree: Root, url: string): string {
  return block(absoluteHtml(tree, url));
}

function feedItems(posts: readonly FeedPost[], config: SiteConfig): FeedItem[] {
  return posts.slice(0, config.feedLength).map((post) => ({
    title: line(post.meta.title),
    url: post.url,
    summary: line(post.summary),
    html: 'feedHtml' in post ? post.feedHtml : feedHtml(post.tree, post.url),
    published: post.date,
    lang: post.lang,
    author: line(post.meta.author ?? config.author ?? config.title),
    tags: post.meta.tags.map(line),
    image: post.cover ? new URL(post.cover, post.url).href : undefined,
  }));
}

/** The newest date of the items, or the build's clock when there are none. */
function updated(items: readonly FeedItem[], now: Date): Date {
  return items[0]?.published ?? now;
}

// The feeds are written with xmlbuilder2, which escapes every text and
// attribute: the `feed` package (v6) leaves category attributes and HTML
// titles unescaped, writes JSON Feed 1.0 and no language.

/**
 * Atom 1.0 (`feed.xml`), with `xml:lang` on the feed and each entry, full
 * content and summary, newest first.
 *
 * @param posts  Published posts, newest first.
 * @param config The site configuration.
 * @param now    The build's clock, for an empty feed's `updated`.
 */
export function atomFeed(posts: readonly FeedPost[], config: SiteConfig, now: Date): string {
  const items = feedItems(posts, config);
  const feed = create({ version: '1.0', encoding: 'utf-8' }).ele('http://www.w3.org/2005/Atom', 'feed', { 'xml:lang': config.lang });
  feed.ele('title', { type: 'text' }).txt(line(config.title));
  if (config.description) feed.ele('subtitle', { type: 'text' }).txt(line(config.description));
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: feedUrls(config).atom });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: config.url });
  feed.ele('id').txt(config.url);
  feed.ele('updated').txt(updated(items, now).toISOString());
  feed.ele('author').ele('name').txt(line(config.author ?? config.title));
  feed.ele('generator').txt('sahifa');
  for (const item of items) {
    const entry = feed.ele('entry', { 'xml:lang': item.lang });
    entry.ele('title', { type: 'text' }).txt(item.title);
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: item.url });
    entry.ele('id').txt(item.url);
    entry.ele('published').txt(item.published.toISOString());
    entry.ele('updated').txt(item.published.toISOString());
    entry.ele('author').ele('name').txt(item.author);
    for (const tag of item.tags) entry.ele('category', { term: tag });
    entry.ele('summary', { type: 'text' }).txt(item.summary);
    entry.ele('content', { type: 'html' }).txt(item.html);
  }
  return feed.end({ prettyPrint: true });
}

/**
 * RSS 2.0 (`rss.xml`), with `<language>`, full content in
 * `content:encoded` and the summary in `description`.
 *
 * @param posts  Published posts, newest first.
 * @param config The site configuration.
 * @param now    The build's clock, for `lastBuildDate` of an empty feed.
 */
export function rssFeed(posts: readonly FeedPost[], config: SiteConfig, now: Date): string {
  const items = feedItems(posts, config);
  const rss = create({ version: '1.0', encoding: 'utf-8' }).ele('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  });
  const channel = rss.ele('channel');
  channel.ele('title').txt(line(config.title));
  channel.ele('link').txt(config.url);
  channel.ele('description').txt(line(config.description || config.title));
  // RSS readers expect a plain language code: a calendar or digits extension (-u-ca-…) means nothing there.
  channel.ele('language').txt(new Intl.Locale(config.lang).baseName);
  channel.ele('atom:link', { href: feedUrls(config).rss, rel: 'self', type: 'application/rss+xml' });
  channel.ele('lastBuildDate').txt(updated(items, now).toUTCString());
  channel.ele('generator').txt('sahifa');
  for (const item of items) {
    const entry = channel.ele('item');
    entry.ele('title').txt(item.title);
    entry.ele('link').txt(item.url);
    entry.ele('guid', { isPermaLink: 'true' }).txt(item.url);
    entry.ele('pubDate').txt(item.published.toUTCString());
    for (const tag of item.tags) entry.ele('category').txt(tag);
    entry.ele('description').txt(item.summary);
    entry.ele('content:encoded').txt(item.html);
  }
  return rss.end({ prettyPrint: true });
}

/**
 * JSON Feed 1.1 (`feed.json`), with `language` on the feed and each item.
 *
 * @param posts  Published posts, newest first.
 * @param config The site configuration.
 */
export function jsonFeed(posts: readonly FeedPost[], config: SiteConfig): string {
  const items = feedItems(posts, config);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: line(config.title),
    home_page_url: config.url,
    feed_url: feedUrls(config).json,
    ...(config.description ? { description: line(config.description) } : {}),
    language: config.lang,
    authors: [{ name: line(config.author ?? config.title) }],
    items: items.map((item) => ({
      id: item.url,
      url: item.url,
      title: item.title,
      content_html: item.html,
      summary: item.summary,
      date_published: item.published.toISOString(),
      language: item.lang,
      authors: [{ name: item.author }],
      ...(item.tags.length ? { tags: item.tags } : {}),
      ...(item.image ? { image: item.image } : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
