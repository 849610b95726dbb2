import { imageSize } from 'image-size';
import { extname } from 'node:path';

/**
 * Raster formats a browser shows, as image-size names them, with the file
 * extensions each may carry. SVG is missing on purpose: it is a document that
 * can run scripts when opened at its own address, so it is refused.
 */
const RASTER_TYPES: Record<string, readonly string[]> = {
  png: ['.png'],
  jpg: ['.jpg', '.jpeg', '.jfif'],
  gif: ['.gif'],
  webp: ['.webp'],
  avif: ['.avif'],
  bmp: ['.bmp'],
  ico: ['.ico'],
};

/** A checked image's size, or why the file cannot be published as an image. */
export type ImageCheck = { width: number; height: number } | { problem: string; ruleId: string };

/**
 * Decides from the bytes, not the name, whether a file may be published as an
 * image: it must be a raster format browsers show (PNG, JPEG, GIF, WebP,
 * AVIF, BMP, ICO), and its name must end with that format's extension, so a
 * host never serves it as something else (an HTML/PNG polyglot named
 * `x.html` would otherwise run as a page).
 *
 * @param content    The file's bytes.
 * @param outputName The name it would be published under.
 */
export function checkImage(content: Uint8Array, outputName: string): ImageCheck {
  let type: string | undefined;
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ type, width, height } = imageSize(content));
  } catch {
    // image-size throws on an SVG without a size; its markup still gives it away.
    type = looksLikeSvg(content) ? 'svg' : undefined;
  }
  if (type === 'svg') {
    return { problem: 'is an SVG, which can carry scripts, so it is not published: convert it to PNG or WebP, or link it by https:// URL', ruleId: 'image-svg' };
  }
  const extensions = type ? RASTER_TYPES[type] : undefined;
  if (!extensions) {
    return { problem: `is not an image sahifa publishes (${type ? `its bytes are ${type.toUpperCase()}` : 'its bytes are no known image format'}): use a PNG, JPEG, GIF, WebP or AVIF file`, ruleId: 'image-not-image' };
  }
  const extension = extname(outputName).toLowerCase();
  if (!extensions.includes(extension)) {
    return { problem: `holds ${type!.toUpperCase()} bytes but is named ${extension || 'without an extension'}: rename it to end in ${extensions[0]}`, ruleId: 'image-wrong-extension' };
  }
  return width && height ? { width, height } : { problem: `is a ${type!.toUpperCase()} without a readable size: save it again from an image editor`, ruleId: 'image-not-image' };
}

function looksLikeSvg(content: Uint8Array): boolean {
  return /<svg[\s>/]/i.test(Buffer.from(content.subarray(0, 4096)).toString('utf8'));
}
