import { afterEach, describe, expect, it } from 'vitest';
import { SITE_ORIGIN, startServeSite, type ServeSite } from './serve-site.js';

let site: ServeSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe('issue 11: the page\'s script may read the answer to its subscribe post (CORS)', () => {
  it('names the site\'s origin, and only it, in Access-Control-Allow-Origin, with Vary: Origin', async () => {
    site = await startServeSite();
    const json = { Accept: 'application/json' };

    const fromSite = await site.subscribe('reader@example.com', { headers: json });
    expect(fromSite.status).toBe(200);
    expect(fromSite.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(fromSite.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(fromSite.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await fromSite.json()).toMatchObject({ ok: true });

    // A malformed address is an answer the script must read too.
    const malformed = await site.subscribe('not an address', { headers: json });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);

    const elsewhere = await site.subscribe('reader@example.com', { headers: { ...json, Origin: 'https://evil.example' } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const lookalike = await site.subscribe('reader@example.com', { headers: { ...json, Origin: 'https://example.org.evil.example' } });
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull();

    const noOrigin = await site.subscribe('reader@example.com', { headers: { ...json, Origin: '' } });
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });
});
