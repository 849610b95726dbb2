import { parseConfig } from '../../src/config/load-config.js';
import { emailHelpers } from '../../src/render/email/render-email.js';
import { loadTemplateSet } from '../../src/render/template-set.js';
import type { MailKit } from '../../src/serve/mail.js';
import { serviceStrings } from '../../src/serve/strings.js';
import { REPO } from '../helpers/site.js';

/**
 * The kit of the service's emails for one language and a site title chosen
 * to land where rendering could go wrong; templates from `root` (a site's
 * overrides, else the theme's).
 */
export async function kitFor(lang: string, title: string, root = REPO): Promise<MailKit> {
  const config = parseConfig(
    JSON.stringify({
      title,
      url: 'https://example.org/',
      lang,
      subscribe: { action: 'https://example.org/newsletter/subscribe' },
      email: { from: 'Site <news@example.org>', address: 'ص.ب. 12345 <b>&amp;</b> "quoted"' },
    }),
    'sahifa.config.json',
  );
  const { strings, lang: stringsLang } = serviceStrings(config.lang);
  return { config, templates: await loadTemplateSet(root, 'email', emailHelpers), strings, lang: stringsLang, confirmHours: 48 };
}
