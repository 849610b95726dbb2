import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { FIXTURES, GOOD_POST, makeSite } from '../helpers/site.js';

const PNG = join(FIXTURES, 'site-three-posts', 'posts', 'assets', 'cover.png');

const post = (body: string, front = '') => `---\ntitle: "صورة"\ndate: 2025-01-01\n${front}---\n\n${body}\n`;

/** Builds the site expecting failure; returns the messages relative to the site, and checks dist/ stayed as it was. */
async function failure(root: string): Promise<string> {
  const out = join(root, 'dist');
  const error = await build({ root, out }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BuildFailure);
  return (error as BuildFailure).messages
    .filter((message) => message.fatal)
    .map((message) => formatMessage(message, { cwd: root }))
    .join('\n');
}

/** A file outside any site, standing for /etc/shadow. */
async function secretOutside(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'sahifa-secret-'));
  const path = join(folder, 'shadow');
  await writeFile(path, 'root:$6$secret:19000:0:99999:7:::\n');
  return path;
}

describe('issue 9: only real images are published', () => {
  it('refuses an SVG with a script, whatever its name', async () => {
    const root = await makeSite({
      'posts/a.md': post('نص.\n\n![رسم](art/logo.svg)'),
      'posts/art/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    });
    expect(await failure(root)).toBe(
      'posts/a.md:8:1: error `art/logo.svg` is an SVG, which can carry scripts, so it is not published: convert it to PNG or WebP, or link it by https:// URL [image-svg]',
    );
  });

  it('refuses an SVG renamed to .png (the bytes decide)', async () => {
    const root = await makeSite({
      'posts/a.md': post('نص.', 'image: cover.png\n'),
      'posts/cover.png': '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="10" height="10"/>',
    });
    expect(await failure(root)).toMatch(/^posts\/a\.md:4:8: error `cover\.png` is an SVG/);
  });

  it('refuses an .html file, a draft and a text file posing as an image', async () => {
    const root = await makeSite({
      'posts/a.md': post('![x](page.html)\n\n![y](_draft.md)\n\n![z](notes.png)', 'image: _draft.md\n'),
      'posts/page.html': '<script>alert(document.cookie)</script>',
      'posts/_draft.md': post('سر لم ينشر بعد'),
      // "P3" makes a text file look like a PNM image to a lax sniffer.
      'posts/notes.png': 'P3\n1 1\n255\n0 0 0\n',
    });
    const messages = await failure(root);
    expect(messages).toContain('posts/a.md:4:8: error `_draft.md` is not an image sahifa publishes (its bytes are no known image format): use a PNG, JPEG, GIF, WebP or AVIF file [image-not-image]');
    expect(messages).toContain('posts/a.md:7:1: error `page.html` is not an image sahifa publishes');
    expect(messages).toContain('posts/a.md:9:1: error `_draft.md` is not an image');
    expect(messages).toContain('posts/a.md:11:1: error `notes.png` is not an image sahifa publishes (its bytes are PNM)');
  });

  it('refuses real image bytes under a name a host would serve as a page', async () => {
    const root = await makeSite({ 'posts/a.md': post('![x](polyglot.html)') });
    await writeFile(join(root, 'posts', 'polyglot.html'), await readFile(PNG));
    expect(await failure(root)).toBe(
      'posts/a.md:6:1: error `polyglot.html` holds PNG bytes but is named .html: rename it to end in .png [image-wrong-extension]',
    );
  });

  it('publishes a real PNG (processed since issue 14), with its size', async () => {
    const root = await makeSite({ 'posts/a.md': post('![خريطة](assets/map.PNG)') });
    await mkdir(join(root, 'posts', 'assets'));
    await writeFile(join(root, 'posts', 'assets', 'map.PNG'), await readFile(PNG));
    const result = await build({ root, write: false });
    expect(result.files.has('blog/media/assets/map.PNG')).toBe(false);
    expect([...result.files.keys()].some((path) => /^blog\/media\/assets\/map\.[0-9a-f]{8}-\d+\.png$/.test(path))).toBe(true);
    expect(String(result.files.get('blog/a/index.html'))).toMatch(/<img src="\.\.\/media\/assets\/map\.[0-9a-f]{8}-\d+\.png"[^>]* width="\d+" height="\d+"/);
  });
});

describe('issue 9: symbolic links never lead out of the site', () => {
  it('refuses an image that links to a file outside (cover.jpg → /etc/shadow)', async () => {
    const root = await makeSite({ 'posts/a.md': post('![x](cover.jpg)', 'image: cover.jpg\n') });
    await symlink(await secretOutside(), join(root, 'posts', 'cover.jpg'));
    const messages = await failure(root);
    expect(messages).toBe(
      [
        'posts/a.md:4:8: error image `cover.jpg` is a symbolic link that leads out of the posts folder: copy the image into posts/ instead of linking to it [image-link-outside]',
        'posts/a.md:7:1: error image `cover.jpg` is a symbolic link that leads out of the posts folder: copy the image into posts/ instead of linking to it [image-link-outside]',
      ].join('\n'),
    );
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('refuses a link to a folder outside, and accepts a link that stays in posts/', async () => {
    const secret = await secretOutside();
    const root = await makeSite({ 'posts/a.md': post('![x](shared/shadow)\n\n![y](alias.png)') });
    await symlink(join(secret, '..'), join(root, 'posts', 'shared'));
    await writeFile(join(root, 'posts', 'real.png'), await readFile(PNG));
    await symlink(join(root, 'posts', 'real.png'), join(root, 'posts', 'alias.png'));
    expect(await failure(root)).toBe(
      'posts/a.md:6:1: error image `shared/shadow` is a symbolic link that leads out of the posts folder: copy the image into posts/ instead of linking to it [image-link-outside]',
    );
  });

  it('refuses a post that links out of the site', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    const outside = await makeSite({ 'secret.md': post('نص سري') });
    await symlink(join(outside, 'secret.md'), join(root, 'posts', 'leak.md'));
    expect(await failure(root)).toBe(
      'posts/leak.md: error this post is a symbolic link that leads out of the site: move the file into posts/ instead of linking to it [post-link-outside]',
    );
  });

  it('refuses a template override or an assets folder that links out of the site', async () => {
    const secret = await secretOutside();
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await symlink(secret, join(root, 'templates', 'page', 'partials', 'footer.hbs'));
    expect(await failure(root)).toBe(
      'templates/page/partials/footer.hbs: error this template is a symbolic link that leads out of the site: copy the file into templates/ instead of linking to it [template-link-outside]',
    );

    const other = await makeSite({ 'posts/good.md': GOOD_POST });
    await mkdir(join(other, 'templates'));
    await symlink(join(secret, '..'), join(other, 'templates', 'assets'));
    expect(await failure(other)).toBe(
      'templates/assets: error this folder is a symbolic link that leads out of the site: copy the files into templates/assets/ instead [assets-link-outside]',
    );
  });
});
