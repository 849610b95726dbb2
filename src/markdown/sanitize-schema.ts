import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

/**
 * GitHub's sanitising rules with three changes:
 * - `style` is stripped with its text (the default keeps the CSS as text);
 * - ids are not prefixed again: remark-rehype already prefixes footnote ids
 *   with `user-content-` and points its links there, and a second prefix
 *   would break them; heading ids are added after sanitising;
 * - `<bdi>` is allowed, so a writer can isolate a run by hand.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  strip: ['script', 'style'],
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), 'bdi'],
};
