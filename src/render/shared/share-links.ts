import type { LocaleStrings } from '../../config/locales.js';

/** One share link: a plain URL, no third-party script. */
export interface ShareLink {
  /** Stable id, used as a CSS class (`share-x`). */
  id: keyof LocaleStrings['shareTargets'];
  /** Name shown to the reader, in the page's language. */
  label: string;
  /** The share URL with the page's address and title URL-encoded. */
  href: string;
}

/**
 * The share links of a page: X, Facebook, WhatsApp, Telegram, LinkedIn and
 * email, each a plain link carrying the canonical URL and the title.
 *
 * @param url     Canonical address of the page.
 * @param title   Title of the page.
 * @param strings The page language's names of the targets.
 */
export function shareLinks(url: string, title: string, strings: Pick<LocaleStrings, 'shareTargets'>): ShareLink[] {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  const targets: Record<ShareLink['id'], string> = {
    x: `https://x.com/intent/post?url=${u}&text=${t}`,
    facebook: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
    whatsapp: `https://wa.me/?text=${t}%20${u}`,
    telegram: `https://t.me/share/url?url=${u}&text=${t}`,
    linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
    email: `mailto:?subject=${t}&body=${u}`,
  };
  return (Object.keys(targets) as Array<ShareLink['id']>).map((id) => ({ id, label: strings.shareTargets[id], href: targets[id] }));
}
