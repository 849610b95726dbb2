import type { Root as HastRoot } from 'hast';
import type { VFile } from 'vfile';
import type { Direction } from '../config/direction.js';
import type { FrontMatter } from './front-matter.js';
import type { Pictures } from '../images/responsive-image.js';
import type { MediaFile } from './images.js';

/**
 * A post after parsing and transformation: everything both branches (page
 * and email) need, computed once.
 */
export interface Post {
  /** The source file; warnings found later are recorded on it too. */
  file: VFile;
  /** Validated front matter. */
  meta: FrontMatter;
  /** Folder name under `dist/blog/`, safe for any file system. */
  slug: string;
  /** BCP 47 language tag of the post. */
  lang: string;
  /** Writing direction of the post. */
  dir: Direction;
  /** Publication instant: a calendar `date` is the start of that day in the site's time zone. */
  date: Date;
  /** The body as a sanitised hast tree, shared by every output. */
  tree: HastRoot;
  /** Words in the body. */
  words: number;
  /** The description, or the start of the first paragraph. */
  summary: string;
  /** Absolute canonical address of the post's page. */
  url: string;
  /** The cover image (front-matter `image` or `cover.src`), relative to the post's page or absolute. */
  cover?: string;
  /** The cover's alt text (`image_alt` or `cover.alt`); `undefined` when none was given. */
  coverAlt?: string;
  /** Local images the post uses, to copy into the output (the processed files once images are processed). */
  media: MediaFile[];
  /** The processed images by their `src` in the tree (and the cover's), set by the build's image step. */
  pictures?: Pictures;
}

/**
 * A post as a build keeps it once its own page and email are written: what
 * lists, tags, feeds and the sitemap need, without the body (so memory grows
 * with the number of posts only by their metadata). A build that writes
 * nothing (`write: false`) keeps the body tree too.
 */
export type PostSummary = Omit<Post, 'tree' | 'media'> & { tree?: HastRoot };
