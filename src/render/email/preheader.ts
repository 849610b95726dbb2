/** How many invisible fillers follow the preheader. */
const PADDING_REPEAT = 80;

/**
 * Invisible characters after the preheader so that inboxes show only the
 * preheader in their preview, not the start of the body after it.
 */
export const PREHEADER_PADDING = '&#847;&zwnj;&nbsp;'.repeat(PADDING_REPEAT);

/**
 * The inbox preview text: the description, else the first sentence of the
 * summary.
 *
 * @param description The post's description, if any.
 * @param summary     The post's summary.
 */
export function preheaderText(description: string | undefined, summary: string): string {
  if (description) return description;
  const sentence = /^.+?[.!?؟۔](?=\s|$)/u.exec(summary);
  return (sentence?.[0] ?? summary).trim();
}
