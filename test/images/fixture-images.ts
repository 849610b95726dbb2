import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** Where the phone photo says it was taken (read back to show it never leaves). */
const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '24/1 42/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '46/1 40/1 0/1' };

/**
 * Writes the images of test/fixtures/issue-14-images into a copy of it:
 * `phone.jpg` (3000×2000 stored, EXIF orientation 6 so 2000×3000 upright,
 * with a GPS position), `logo.png` (transparent), `spinner.gif` (three
 * frames) and `cover photo.jpg` (2400×1200).
 *
 * @param root The copied fixture site.
 */
export async function writeFixtureImages(root: string): Promise<void> {
  const assets = join(root, 'posts', 'assets');
  const phone = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#4a7' } })
    .composite([{ input: { create: { width: 600, height: 400, channels: 3, background: '#a24' } }, left: 0, top: 0 }])
    .jpeg()
    .withExif({ IFD0: { Make: 'Phone', Model: 'Test' }, IFD3: GPS })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  await writeFile(join(assets, 'phone.jpg'), phone);
  await writeFile(join(assets, 'logo.png'), await sharp({ create: { width: 800, height: 400, channels: 4, background: { r: 20, g: 40, b: 200, alpha: 0.5 } } }).png().toBuffer());
  const frame = (background: string) => sharp({ create: { width: 40, height: 30, channels: 4, background } }).png().toBuffer();
  const frames = await Promise.all(['#f00', '#0f0', '#00f'].map(frame));
  await writeFile(join(assets, 'spinner.gif'), await sharp(frames, { join: { animated: true } }).gif({ delay: [100, 100, 100], loop: 0 }).toBuffer());
  await writeFile(join(assets, 'cover photo.jpg'), await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#358' } }).jpeg().withExif({ IFD3: GPS }).toBuffer());
}
