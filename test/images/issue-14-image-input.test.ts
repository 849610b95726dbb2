import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { targetWidths } from '../../src/images/options.js';
import { build } from '../../src/pipeline/build.js';
import { CONFIG_JSON, FIXTURES, makeSite } from '../helpers/site.js';

const post = (front: string, body = 'نص.') => `---\ntitle: "صورة"\ndate: 2025-01-01\n${front}---\n\n${body}\n`;

/** A small photo, written into the site. */
async function photo(root: string, path: string, width = 900, height = 600): Promise<void> {
  await mkdir(join(root, 'posts', path, '..'), { recursive: true });
  await writeFile(join(root, 'posts', path), await sharp({ create: { width, height, channels: 3, background: '#a85' } }).jpeg().toBuffer());
}

/** The build's messages as the terminal shows them, relative to the site. */
async function messages(root: string): Promise<{ fatal: boolean; lines: string[] }> {
  try {
    const result = await build({ root, write: false });
    return { fatal: false, lines: result.warnings.map((message) => formatMessage(message, { cwd: root })) };
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return { fatal: true, lines: error.messages.map((message) => formatMessage(message, { cwd: root })) };
  }
}

/** A PNG chunk with its length and CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header is right and whose pixels are `idat` (garbage, or nothing for a size it claims). */
function craftedPng(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A 24-bit BMP of `width` × `height` grey pixels. */
function tinyBmp(width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + row * height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(row * height, 34);
  return Buffer.concat([header, Buffer.alloc(row * height, 0x80)]);
}

describe('issue 14: the cover takes alt text, and a missing one is a warning at its place', () => {
  it('warns about `image:` without `image_alt`, at the line of `image:`, and shows the cover with alt=""', async () => {
    const root = await makeSite({ 'posts/a.md': post('image: assets/c.jpg\n') });
    await photo(root, 'assets/c.jpg');
    expect(await messages(root)).toEqual({
      fatal: false,
      lines: ['posts/a.md:4:8: warning cover image without alt text: describe it (`image_alt: what it shows`), or write `""` if it is decoration [image-alt]'],
    });
    const page = String((await build({ root, write: false })).files.get('blog/a/index.html'));
    expect(page).toMatch(/<img class="cover" src="\.\.\/media\/assets\/c\.[0-9a-f]{8}-900\.jpg" alt="" decoding="async" data-pagefind-meta="image\[src\]" fetchpriority="high"/);
  });

  it('takes `image_alt`, or `cover: {src, alt}`; `image_alt: ""` says the cover is decoration', async () => {
    const root = await makeSite({
      'posts/a.md': post('image: assets/c.jpg\nimage_alt: "سوق المدينة"\n'),
      'posts/b.md': post('cover:\n  src: assets/c.jpg\n  alt: "سوق المدينة"\n'),
      'posts/c.md': post('image: assets/c.jpg\nimage_alt: ""\n'),
    });
    await photo(root, 'assets/c.jpg');
    const result = await build({ root, write: false });
    expect(result.warnings).toEqual([]);
    for (const slug of ['a', 'b']) expect(String(result.files.get(`blog/${slug}/index.html`))).toMatch(/<img class="cover" src="[^"]+" alt="سوق المدينة" decoding="async" data-pagefind-meta="image\[src\]" fetchpriority="high"[^>]* width="900" height="600">/);
    expect(String(result.files.get('blog/b/index.html'))).toContain('<source type="image/avif"');
    expect(result.emails.size).toBe(0);
    // The first body image of a post without a cover is on the first screen.
  });

  it('puts the cover in the email as its 1,200 px JPEG shown at 600, with its alt text', async () => {
    const root = await makeSite({ 'posts/a.md': post('cover: { src: assets/c.jpg, alt: "سوق" }\n') });
    const config = JSON.parse(CONFIG_JSON) as Record<string, unknown>;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, email: { address: 'ص.ب. 1' } }));
    await photo(root, 'assets/c.jpg', 3000, 1000);
    const email = (await build({ root, write: false })).emails.get('a')!;
    expect(email.mjml).toMatch(/<mj-image src="https:\/\/example\.org\/media\/assets\/c\.[0-9a-f]{8}-1200\.jpg" alt="سوق" width="600px" fluid-on-mobile="true" \/>/);
  });

  it('refuses `image:` and `cover:` together, and warns about a stray `image_alt`', async () => {
    const root = await makeSite({
      'posts/a.md': post('image: assets/c.jpg\ncover: { src: assets/c.jpg, alt: "x" }\n'),
      'posts/b.md': post('image_alt: "x"\n'),
    });
    await photo(root, 'assets/c.jpg');
    const { fatal, lines } = await messages(root);
    expect(fatal).toBe(true);
    expect(lines).toEqual([
      'posts/a.md:5:8: error the front matter has both `image:` and `cover:`: keep one (`cover: { src: …, alt: … }`, or `image:` with `image_alt:`) [front-matter-invalid]',
      'posts/b.md:4:12: warning `image_alt` without `image:` is ignored: add the cover image as `image: assets/photo.jpg` [front-matter-unknown]',
    ]);
  });

  it('warns about a remote cover, and leaves it as it is', async () => {
    const root = await makeSite({ 'posts/a.md': post('cover: { src: "https://cdn.example.com/c.jpg", alt: "سوق" }\n') });
    expect((await messages(root)).lines).toEqual([
      'posts/a.md:4:8: warning the cover image `https://cdn.example.com/c.jpg` is on another site and is left as it is (not resized, no width and height, its metadata kept): download it into posts/assets/ and use its path, e.g. `assets/photo.jpg` [image-remote]',
    ]);
  });
});

describe('issue 14: hostile and odd images', () => {
  it('still refuses an SVG, as before', async () => {
    const root = await makeSite({ 'posts/a.md': post('', '![رسم](assets/drawing.svg)') });
    await cp(join(FIXTURES, 'issue-14-images', 'posts', 'assets', 'drawing.svg'), join(root, 'posts', 'assets', 'drawing.svg'));
    expect(await messages(root)).toEqual({
      fatal: true,
      lines: ['posts/a.md:6:1: error `assets/drawing.svg` is an SVG, which can carry scripts, so it is not published: convert it to PNG or WebP, or link it by https:// URL [image-svg]'],
    });
  });

  it('reports a PNG with garbage for pixels, and one that claims 60,000 × 60,000 pixels, at their lines: one line each, no crash', async () => {
    const root = await makeSite({ 'posts/a.md': post('', 'أولى:\n\n![x](broken.png)\n\nثانية:\n\n![y](bomb.png)') });
    await writeFile(join(root, 'posts', 'broken.png'), craftedPng(64, 64, Buffer.from('this is not zlib data at all, just words')));
    await writeFile(join(root, 'posts', 'bomb.png'), craftedPng(60_000, 60_000, Buffer.alloc(0)));
    const { fatal, lines } = await messages(root);
    expect(fatal).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^posts\/a\.md:8:1: error cannot process image `posts\/broken\.png` \([^\n]+\): save it again from an image editor as JPEG, PNG or WebP \[image-unreadable\]$/);
    expect(lines[1]).toMatch(/^posts\/a\.md:12:1: error cannot process image `posts\/bomb\.png` \([^\n]+\): save it again from an image editor as JPEG, PNG or WebP \[image-unreadable\]$/);
  });

  it('keeps a srcset whole when the file name holds spaces, commas and quotes', async () => {
    const root = await makeSite({ 'posts/a.md': post('', '![x](<assets/a, "b" (1).jpg>)') });
    await photo(root, 'assets/a, "b" (1).jpg', 1000, 500);
    const result = await build({ root, write: false });
    const html = String(result.files.get('blog/a/index.html'));
    const srcset = /<img src="[^"]+" alt="x"[^>]* srcset="([^"]+)"/.exec(html)?.[1];
    const urls = srcset!.split(', ').map((candidate) => candidate.split(' ')[0]!);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(result.files.has(`blog/${decodeURIComponent(new URL(url, 'https://example.org/a/').pathname.slice(1))}`), url).toBe(true);
  });

  it('publishes a BMP as it is (sharp reads none), with its size', async () => {
    const root = await makeSite({ 'posts/a.md': post('', '![x](tiny.bmp)') });
    const bmp = tinyBmp(3, 2);
    await writeFile(join(root, 'posts', 'tiny.bmp'), bmp);
    const result = await build({ root, write: false });
    expect(Buffer.from(result.files.get('blog/media/tiny.bmp') as Uint8Array)).toEqual(bmp);
    expect(String(result.files.get('blog/a/index.html'))).toMatch(/<img src="\.\.\/media\/tiny\.bmp" alt="x"[^>]* width="3" height="2"/);
    expect(result.images).toEqual({ processed: 0, reused: 0 });
  });

  it('processes an image used by two posts once', async () => {
    const root = await makeSite({ 'posts/a.md': post('', '![x](assets/p.jpg)'), 'posts/b.md': post('', '![x](assets/p.jpg)') });
    await photo(root, 'assets/p.jpg');
    const result = await build({ root, write: false });
    expect(result.images).toEqual({ processed: 1, reused: 0 });
    // A page without a cover shows its first image on the first screen: at once, with high priority.
    expect(String(result.files.get('blog/a/index.html'))).toMatch(/<img src="[^"]+" alt="x" decoding="async"[^>]* fetchpriority="high"/);
  });
});

describe('issue 14: the images settings', () => {
  it('writes the widths and formats the site asks for', async () => {
    const root = await makeSite({ 'posts/a.md': post('', '![x](p.jpg)') });
    const config = JSON.parse(CONFIG_JSON) as Record<string, unknown>;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, images: { widths: [300, 600], formats: ['webp'], quality: { jpeg: 60 } } }));
    await photo(root, 'p.jpg');
    const result = await build({ root, write: false });
    const media = [...result.files.keys()].filter((path) => path.startsWith('blog/media/')).map((path) => path.replace(/\.[0-9a-f]{8}-/, '.HASH-'));
    // 300 and 600 for the page; the email's file is the source's own 900 (under 1,200), in JPEG.
    expect(media.sort()).toEqual(['blog/media/p.HASH-300.jpg', 'blog/media/p.HASH-300.webp', 'blog/media/p.HASH-600.jpg', 'blog/media/p.HASH-600.webp', 'blog/media/p.HASH-900.jpg']);
  });

  it('refuses widths, formats and qualities out of range, naming the key', () => {
    const config = (images: unknown) => () => parseConfig(JSON.stringify({ ...(JSON.parse(CONFIG_JSON) as object), images }), 'sahifa.config.json');
    expect(config({ widths: [] })).toThrow(/`images\.widths`: expected at least one width/);
    expect(config({ widths: [0] })).toThrow(/`images\.widths\.0`: expected a whole number from 16 to 8192 \(pixels\)/);
    expect(config({ formats: ['jpeg'] })).toThrow(/`images\.formats\.0`: expected "avif" or "webp"/);
    expect(config({ quality: { avif: 101 } })).toThrow(/`images\.quality\.avif`: expected a whole number from 1 to 100/);
    expect(config({ size: 3 })).toThrow(/images/);
    expect(parseConfig(CONFIG_JSON, 'sahifa.config.json').images).toEqual({ widths: [480, 960, 1440], formats: ['avif', 'webp'], quality: { jpeg: 80, webp: 80, avif: 50 } });
  });

  it('caps the widths at the source width and never upscales', () => {
    expect(targetWidths(3000, [480, 960, 1440])).toEqual([480, 960, 1440]);
    expect(targetWidths(1000, [480, 960, 1440])).toEqual([480, 960, 1000]);
    expect(targetWidths(300, [480, 960, 1440])).toEqual([300]);
    expect(targetWidths(960, [1440, 480, 960])).toEqual([480, 960]);
  });
});
