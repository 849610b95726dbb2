import type { Root as HastRoot } from 'hast';
import type { VFile } from 'vfile';
import type { Direction } from '../config/direction.js';
import type { Pictures } from '../images/responsive-image.js';
import type { MediaFile } from './images.js';
import type { PageFrontMatter } from './page-front-matter.js';

/**
 * A page of `pages/` (About, Contact…) after parsing: like a post, without a
 * date of publication, tags or email.
 */
export interface Page {
  /** The source file; warnings found later are recorded on it too. */
  file: VFile;
  /** Validated front matter. */
  meta: PageFrontMatter;
  /** Folder name under `dist/blog/`, shared with the posts' folders. */
  slug: string;
  /** BCP 47 language tag of the page. */
  lang: string;
  /** Writing direction of the page. */
  dir: Direction;
  /** When the page last changed (front-matter `date`), for the sitemap only. */
  updated?: Date;
  /** The body as a sanitised hast tree. */
  tree: HastRoot;
  /** The description, or the start of the first paragraph. */
  summary: string;
  /** Absolute canonical address of the page. */
  url: string;
  /** Local images the page uses, to copy into the output. */
  media: MediaFile[];
  /** The processed images by their `src` in the tree, set by the build's image step. */
  pictures?: Pictures;
}
