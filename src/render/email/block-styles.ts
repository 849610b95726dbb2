import type { Direction } from '../../config/direction.js';

/** Colours of the email, shared by the inline styles and the MJML layout. */
export const EMAIL_COLORS = {
  text: '#1c1b1a',
  muted: '#5b5750',
  accent: '#0b6e4f',
  surface: '#f3f0ea',
  rule: '#ddd8cf',
} as const;

/** A monospace stack that every mail client has a member of. */
export const MONOSPACE = "Menlo, Consolas, 'Courier New', monospace";

/**
 * Inline styles of the body's elements in email. Mail clients drop or ignore
 * `<style>` blocks often enough that the body must not depend on them.
 */
const TAG_STYLES: Record<string, string> = {
  p: 'margin:0 0 16px;font-size:17px;line-height:1.8',
  h1: 'margin:24px 0 12px;font-size:26px;line-height:1.4;font-weight:bold',
  h2: 'margin:24px 0 12px;font-size:22px;line-height:1.4;font-weight:bold',
  h3: 'margin:20px 0 10px;font-size:19px;line-height:1.5;font-weight:bold',
  h4: 'margin:16px 0 8px;font-size:17px;line-height:1.5;font-weight:bold',
  h5: 'margin:16px 0 8px;font-size:17px;line-height:1.5;font-weight:bold',
  h6: 'margin:16px 0 8px;font-size:17px;line-height:1.5;font-weight:bold',
  ul: 'margin:0 0 16px;font-size:17px;line-height:1.8',
  ol: 'margin:0 0 16px;font-size:17px;line-height:1.8',
  li: 'margin:0 0 6px',
  dl: 'margin:0 0 16px',
  dd: 'margin:0 0 8px',
  figcaption: `font-size:14px;color:${EMAIL_COLORS.muted}`,
  section: 'font-size:14px;line-height:1.7',
  th: `padding:6px 10px;border:1px solid ${EMAIL_COLORS.rule};font-weight:bold`,
  td: `padding:6px 10px;border:1px solid ${EMAIL_COLORS.rule}`,
  a: `color:${EMAIL_COLORS.accent};text-decoration:underline`,
  code: `font-family:${MONOSPACE};font-size:15px;background-color:${EMAIL_COLORS.surface}`,
  img: 'max-width:100%;height:auto',
};

/** Start side of a direction, for `text-align` and borders. */
export function startSide(dir: Direction): 'right' | 'left' {
  return dir === 'rtl' ? 'right' : 'left';
}

/**
 * The inline style of a block in email: its tag's style plus an explicit
 * direction and alignment, since Gmail and webmail drop `<html dir>` and
 * `mj-text align` would otherwise push its alignment into every block.
 *
 * @param tagName The element.
 * @param dir     The block's direction.
 */
export function blockStyle(tagName: string, dir: Direction): string {
  const side = startSide(dir);
  const own = TAG_STYLES[tagName] ?? '';
  const extra =
    tagName === 'ul' || tagName === 'ol'
      ? `;padding:0;padding-${side}:24px`
      : tagName === 'blockquote'
        ? `margin:0 0 16px;padding:0 16px;border-${side}:4px solid ${EMAIL_COLORS.rule};color:${EMAIL_COLORS.muted}`
        : '';
  return [own + extra, `direction:${dir};text-align:${side}`].filter(Boolean).join(';').replace(/^;/, '');
}

/**
 * The inline style of an inline element (link, code, image), or nothing.
 *
 * @param tagName The element.
 */
export function inlineStyle(tagName: string): string | undefined {
  return tagName === 'a' || tagName === 'code' || tagName === 'img' ? TAG_STYLES[tagName] : undefined;
}

/** Style of a code block, written as lines joined by `<br>` (caniemail flags `white-space: pre`). */
export const CODE_BLOCK_STYLE = `margin:0 0 16px;padding:12px;background-color:${EMAIL_COLORS.surface};font-family:${MONOSPACE};font-size:14px;line-height:1.5;direction:ltr;text-align:left`;
