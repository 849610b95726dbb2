/** Formats written beside an image's own format, best first (the order of `<source>`s in `<picture>`). */
export const MODERN_FORMATS = ['avif', 'webp'] as const;

/** A format from {@link MODERN_FORMATS}. */
export type ModernFormat = (typeof MODERN_FORMATS)[number];

/** Every format sahifa writes: the modern ones and the two every mail client shows. */
export type OutputFormat = ModernFormat | 'jpeg' | 'png';

/** How images are processed: the `images` key of `sahifa.config.json`, defaults filled. */
export interface ImageOptions {
  /** Widths in pixels each image is written in, capped at the source's width (never upscaled). */
  widths: readonly number[];
  /** Modern formats written beside the image's own format. */
  formats: readonly ModernFormat[];
  /** Encoder quality (1-100) per lossy format; PNG is lossless. */
  quality: { jpeg: number; webp: number; avif: number };
}

/** Defaults that need no setting: sharp's own qualities, three widths for phones, laptops and sharp screens. */
export const DEFAULT_IMAGE_OPTIONS: ImageOptions = {
  widths: [480, 960, 1440],
  formats: ['avif', 'webp'],
  quality: { jpeg: 80, webp: 80, avif: 50 },
};

/** Widest image an email carries: twice the width it is shown at, for sharp screens. */
export const EMAIL_IMAGE_WIDTH = 1200;

/** Width an email shows an image at, at most (the email's column). */
export const EMAIL_SHOWN_WIDTH = 600;

/**
 * The widths to write for a source of `sourceWidth` pixels: the configured
 * ones below it, and the source's own width in place of any at or above it,
 * so nothing is ever upscaled.
 *
 * @param sourceWidth The width after orientation.
 * @param widths      The configured widths.
 * @returns Distinct widths, smallest first.
 */
export function targetWidths(sourceWidth: number, widths: readonly number[]): number[] {
  const capped = widths.map((width) => Math.min(width, sourceWidth));
  return [...new Set(capped)].sort((a, b) => a - b);
}
