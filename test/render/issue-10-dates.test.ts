import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { calendarDay, postInstant } from '../../src/content/post-date.js';
import { findAll, parseHtml, textOf } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

/** Zones west and east of UTC, the two ends (UTC−12, UTC+14) and one with a half-hour offset. */
const ZONES = ['America/New_York', 'America/Los_Angeles', 'Etc/GMT+12', 'Pacific/Kiritimati', 'Asia/Riyadh', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];

/** A site in `timeZone` with one English post dated 2026-11-24 (no time). */
async function buildIn(timeZone: string): Promise<BuildResult> {
  const config = {
    title: 'Dates',
    url: 'https://example.org/',
    lang: 'en',
    timeZone,
    subscribe: { action: 'https://example.org/subscribe' },
    email: { address: 'PO Box 1, Riyadh' },
  };
  const root = await makeSite({
    'sahifa.config.json': JSON.stringify(config),
    'posts/thanksgiving.md': '---\ntitle: Thanksgiving\ndate: 2026-11-24\ntags: [holiday]\n---\n\nA post.\n',
  });
  return build({ root, write: false, now: new Date('2027-01-01T00:00:00Z') });
}

const text = (result: BuildResult, path: string) => String(result.files.get(path));

describe('issue 10: a date without a time is a calendar date in the site\'s zone, everywhere', () => {
  it.each(ZONES)('shows November 24 in %s on the page, the index, the tag page and the email', async (zone) => {
    const result = await buildIn(zone);
    for (const path of ['blog/thanksgiving/index.html', 'blog/index.html', 'blog/tags/holiday/index.html']) {
      const times = findAll(parseHtml(text(result, path)), (node) => node.tagName === 'time');
      expect(times.length, path).toBeGreaterThan(0);
      for (const time of times) {
        expect(time.properties.dateTime, path).toBe('2026-11-24');
        expect(time.children.map((child) => ('value' in child ? child.value : '')).join(''), path).toBe('November 24, 2026');
      }
    }
    const email = result.emails.get('thanksgiving');
    expect(email?.html).toContain('November 24, 2026');
    expect(email?.text).toContain('November 24, 2026');
    expect(email?.html).not.toContain('November 23');
  });

  it.each(ZONES)('gives feeds, sitemap and JSON-LD the 24th in %s', async (zone) => {
    const result = await buildIn(zone);
    const published = new Date(JSON.parse(text(result, 'blog/feed.json')).items[0].date_published as string);
    expect(calendarDay(published, zone)).toBe('2026-11-24');
    expect(published.toISOString()).toBe(postInstant('2026-11-24', zone).toISOString());
    const atom = new XMLParser().parse(text(result, 'blog/feed.xml')) as { feed: { entry: { published: string } } };
    expect(calendarDay(new Date(atom.feed.entry.published), zone)).toBe('2026-11-24');
    expect(text(result, 'blog/sitemap.xml')).toContain('<lastmod>2026-11-24</lastmod>');
    const page = text(result, 'blog/thanksgiving/index.html');
    expect(page).toContain('"datePublished":"2026-11-24"');
    expect(page).toContain('<meta property="article:published_time" content="2026-11-24">');
  });

  it('reads a time without an offset as the site\'s wall clock, and a time with one as given', () => {
    expect(postInstant('2026-11-24T09:30', 'America/New_York').toISOString()).toBe('2026-11-24T14:30:00.000Z');
    expect(postInstant('2026-11-24 23:30:15.5', 'Pacific/Kiritimati').toISOString()).toBe('2026-11-24T09:30:15.500Z');
    expect(postInstant('2026-11-24T09:30:00+03:00', 'America/New_York').toISOString()).toBe('2026-11-24T06:30:00.000Z');
    expect(postInstant('2026-11-24T09:30Z', 'Asia/Riyadh').toISOString()).toBe('2026-11-24T09:30:00.000Z');
    // The day clocks skip midnight (Santiago, 2026-09-06) still starts on the 6th, at 01:00.
    expect(postInstant('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    // A time in the spring gap is the same time after the change; one in the autumn overlap the earlier one.
    expect(postInstant('2026-03-08T02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(postInstant('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Samoa skipped 2011-12-30 altogether: that date is the start of the 31st.
    expect(calendarDay(postInstant('2011-12-30', 'Pacific/Apia'), 'Pacific/Apia')).toBe('2011-12-31');
    // Old local mean times have seconds (Riyadh +03:06:52 until 1947, Madras +05:21:10).
    expect(postInstant('1900-01-01', 'Asia/Riyadh').toISOString()).toBe('1899-12-31T20:53:08.000Z');
    expect(postInstant('1900-01-01', 'Asia/Kolkata').toISOString()).toBe('1899-12-31T18:38:50.000Z');
    expect(calendarDay(postInstant('1900-01-01', 'Asia/Riyadh'), 'Asia/Riyadh')).toBe('1900-01-01');
    // Years before 100 are not read as 19xx.
    expect(calendarDay(postInstant('0999-06-01', 'UTC'), 'UTC')).toBe('0999-06-01');
    expect(postInstant('9999-12-31', 'Pacific/Kiritimati').toISOString()).toBe('9999-12-30T10:00:00.000Z');
  });
});
