import type { SiteConfig } from '../../config/schema.js';

/** What the subscribe partial gets: the form's settings, and whether its script may answer inline. */
export type SubscribeForm = SiteConfig['subscribe'] & {
  /**
   * The form posts to `sahifa serve` (the action is `<serve.url>subscribe`)
   * by POST, so the page's script may send it with `fetch` and show the
   * service's JSON answer inline. A list provider's endpoint speaks no such
   * JSON (and may not allow a cross-origin read), so its form stays a plain
   * form.
   */
  service: boolean;
};

/**
 * The subscribe form's settings for the page templates.
 *
 * @param config The site configuration.
 */
export function subscribeForm(config: Pick<SiteConfig, 'subscribe' | 'serve'>): SubscribeForm {
  const service = config.serve?.url === undefined ? undefined : new URL('subscribe', config.serve.url).href;
  return { ...config.subscribe, service: config.subscribe.method === 'post' && config.subscribe.action === service };
}
