import { imageSize } from 'image-size';
import sharp, { type Sharp } from 'sharp';
import { EMAIL_IMAGE_WIDTH, targetWidths, type ImageOptions, type OutputFormat } from './options.js';

/** One file written from a source image. */
export interface EncodedImage {
  format: OutputFormat;
  width: number;
  height: number;
  /** `page` for `<picture>`, `email` for the newsletter's one JPEG or PNG. */
  role: 'page' | 'email';
  data: Uint8Array;
}

/** A source image written in every width and format the options ask for. */
export interface ProcessedImage {
  /** Width of the source after its EXIF orientation is applied. */
  width: number;
  /** Height of the source after its EXIF orientation is applied. */
  height: number;
  /** The format of `<img src>` and of the email: the source's own (JPEG or PNG), else JPEG, or PNG when it has transparency. */
  fallback: 'jpeg' | 'png';
  /** Every file, page variants and the email one. */
  files: EncodedImage[];
}

/** Formats converted here, as image-size names them; GIF (animation), BMP and ICO are published as they are. */
const PROCESSED_TYPES = new Set(['jpg', 'png', 'webp', 'avif']);

/** sharp's input options: a truncated photo still shows in a browser, so only real errors stop it. */
const INPUT = { failOn: 'error' } as const;

/**
 * Whether an image's bytes are processed (a still JPEG, PNG, WebP or AVIF)
 * or published as they are (GIF, animated WebP, BMP, ICO).
 *
 * @param source The image's bytes.
 */
export async function isProcessable(source: Uint8Array): Promise<boolean> {
  // The type from the bytes first: sharp reads no BMP or ICO, and those are published as they are.
  if (!PROCESSED_TYPES.has(imageSize(source).type ?? '')) return false;
  const meta = await sharp(source, INPUT).metadata();
  return (meta.pages ?? 1) === 1;
}

/**
 * Writes one source image in the widths and formats of `options`: decoded
 * once, turned upright by its EXIF orientation, scaled down once to the
 * largest width needed, then encoded from those pixels. Nothing of the
 * source's metadata is written (no EXIF, no GPS position, no camera data).
 *
 * @param source  The image's bytes (a still JPEG, PNG, WebP or AVIF).
 * @param options Widths, formats and qualities.
 * @throws When sharp cannot decode the image.
 */
export async function processImage(source: Uint8Array, options: ImageOptions): Promise<ProcessedImage> {
  const meta = await sharp(source, INPUT).metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('the image has no readable size');
  const fallback = meta.format === 'png' || meta.hasAlpha ? 'png' : 'jpeg';
  const widths = targetWidths(width, options.widths);
  const emailWidth = Math.min(EMAIL_IMAGE_WIDTH, width);
  const largest = Math.max(...widths, emailWidth);
  const { data, info } = await sharp(source, INPUT).autoOrient().resize({ width: largest, withoutEnlargement: true }).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const pixels = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const encode = async (format: OutputFormat, target: number, role: EncodedImage['role']): Promise<EncodedImage> => {
    let pipeline = sharp(data, pixels);
    if (target !== info.width) pipeline = pipeline.resize({ width: target });
    const written = await toFormat(pipeline, format, options).toBuffer({ resolveWithObject: true });
    return { format, width: written.info.width, height: written.info.height, role, data: written.data };
  };
  const pageFormats: OutputFormat[] = [...options.formats, fallback];
  const page = await Promise.all(widths.flatMap((target) => pageFormats.map((format) => encode(format, target, 'page'))));
  const same = page.find((file) => file.format === fallback && file.width === emailWidth);
  const email = same ? { ...same, role: 'email' as const } : await encode(fallback, emailWidth, 'email');
  return { width, height, fallback, files: [...page, email] };
}

function toFormat(pipeline: Sharp, format: OutputFormat, options: ImageOptions): Sharp {
  switch (format) {
    case 'avif':
      return pipeline.avif({ quality: options.quality.avif });
    case 'webp':
      return pipeline.webp({ quality: options.quality.webp });
    case 'jpeg':
      return pipeline.jpeg({ quality: options.quality.jpeg });
    case 'png':
      return pipeline.png();
  }
}

/** The version of sharp and libvips, part of the cache key (a new encoder writes different bytes). */
export const ENCODER_VERSION = `sharp ${sharp.versions.sharp ?? ''} vips ${sharp.versions.vips}`;
