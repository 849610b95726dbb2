import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

/**
 * GitHub's sanitising rules with three changes:
 * - `style` is stripped with its text (the default keeps the CSS as text);
 * - ids and names are not prefixed here: rehype-prefix-ids does it once for
 *   every id (footnotes and headings too) and points in-post links at them;
 * - `<bdi>` is allowed, so a writer can isolate a run by hand.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  strip: ['script', 'style'],
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), 'bdi'],
};
