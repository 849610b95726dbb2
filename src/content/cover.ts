import type { VFile } from 'vfile';
import { reportError, type Place } from '../diagnostics/build-failure.js';
import type { LocatedFrontMatter } from './front-matter.js';

/** A post's cover image as its front matter gives it. */
export interface CoverSpec {
  /** The path (relative to the post) or URL. */
  value: string;
  /** Where the address is in the front matter. */
  place: Place;
  /** The alt text; `""` for decoration; `undefined` when the writer gave none. */
  alt?: string;
}

/**
 * The cover from `image` + `image_alt`, or from `cover: {src, alt}`. Both
 * forms at once is an error; a cover without alt text is a warning at its
 * place (the page then shows it with `alt=""`), as for an image in the body.
 *
 * @param frontMatter The post's validated front matter.
 * @param file        The post; messages go here.
 * @returns The cover, or `undefined` when there is none (or both forms were given).
 */
export function coverOf(frontMatter: LocatedFrontMatter, file: VFile): CoverSpec | undefined {
  const { image, image_alt: imageAlt, cover } = frontMatter.data;
  if (image !== undefined && cover !== undefined) {
    reportError(file, 'the front matter has both `image:` and `cover:`: keep one (`cover: { src: …, alt: … }`, or `image:` with `image_alt:`)', frontMatter.placeOf('cover'), 'front-matter-invalid');
    return undefined;
  }
  if (imageAlt !== undefined && image === undefined) {
    file.message(cover ? '`image_alt` goes with `image:`; with `cover:`, write the alt text as `cover: { alt: … }`' : '`image_alt` without `image:` is ignored: add the cover image as `image: assets/photo.jpg`', {
      place: frontMatter.placeOf('image_alt'),
      ruleId: 'front-matter-unknown',
      source: 'sahifa',
    });
  }
  const spec = cover ? { value: cover.src, place: frontMatter.placeOf('cover'), alt: cover.alt } : image === undefined ? undefined : { value: image, place: frontMatter.placeOf('image'), alt: imageAlt };
  if (spec && spec.alt === undefined) {
    file.message(`cover image without alt text: describe it (${cover ? '`cover: { src: …, alt: what it shows }`' : '`image_alt: what it shows`'}), or write \`""\` if it is decoration`, {
      place: spec.place,
      ruleId: 'image-alt',
      source: 'sahifa',
    });
  }
  return spec;
}
