/** One `<source>` of a `<picture>`. */
export interface PictureSource {
  /** MIME type, e.g. `image/avif`. */
  type: string;
  /** `url 480w, url 960w, …`, addresses relative to the page. */
  srcset: string;
}

/** What the page and the email need to show one processed image. */
export interface ResponsiveImage {
  /** Width of the source after orientation (the `<img width>`). */
  width: number;
  /** Height of the source after orientation (the `<img height>`). */
  height: number;
  /** The modern formats, best first. */
  sources: PictureSource[];
  /** The fallback format's widths, for the `<img srcset>`. */
  srcset: string;
  /** The email's one JPEG or PNG, relative to the page, with its pixel size. */
  email: { src: string; width: number; height: number };
}

/**
 * Processed images of one post or page, by the `src` their `<img>` carries
 * in the tree (the largest fallback file, relative to the page).
 */
export type Pictures = ReadonlyMap<string, ResponsiveImage>;

/** MIME types of the formats sahifa writes. */
export const MIME_TYPES = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' } as const;

/** File extensions of the formats sahifa writes. */
export const EXTENSIONS = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' } as const;

/**
 * A path under `dist/blog/` as a URL path relative to a post's page: each
 * segment percent-encoded, so spaces and commas cannot split a `srcset`.
 *
 * @param output E.g. `media/assets/my photo.1a2b3c4d-480.webp`.
 */
export function pageRelativeUrl(output: string): string {
  return `../${output.split('/').map(encodeURIComponent).join('/')}`;
}
