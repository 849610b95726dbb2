import type { Direction } from '../config/direction.js';
import { firstStrongDirection } from '../markdown/bidi/text-direction.js';
import { startSide } from './email/block-styles.js';
import type { Helpers } from './template-set.js';

/**
 * The direction of a block of the templates, from its own text: the site's
 * Arabic name keeps its right-to-left header in an English post, and an
 * English address its left-to-right line in an Arabic one. Text with no
 * strong letter (digits, an address made of numbers) takes `fallback`.
 *
 * @param text     The block's text (a title, an address, a fixed string).
 * @param fallback The direction around the block.
 */
export function blockDirection(text: unknown, fallback: unknown): Direction {
  const around: Direction = fallback === 'ltr' ? 'ltr' : 'rtl';
  return firstStrongDirection(String(text ?? '')) ?? around;
}

/**
 * Template helpers for blocks whose text is not the post's:
 * `{{textDir text dir}}` gives `rtl` or `ltr` and `{{textStart text dir}}`
 * the side that text starts on (`right` or `left`, for inline
 * `text-align` in email).
 */
export const directionHelpers: Helpers = {
  textDir: (text: unknown, fallback: unknown) => blockDirection(text, fallback),
  textStart: (text: unknown, fallback: unknown) => startSide(blockDirection(text, fallback)),
};
