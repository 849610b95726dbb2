import type { Direction } from '../config/direction.js';
import { localeFor } from '../config/locales.js';
import type { SiteConfig } from '../config/schema.js';
import { createMarkdownProcessor, type MarkdownProcessor } from './processor.js';

/**
 * A Markdown processor per language and direction, made on first use and
 * shared by the posts' and the pages' loaders.
 *
 * @param config The site configuration.
 */
export function processorCache(config: SiteConfig): (lang: string, dir: Direction) => MarkdownProcessor {
  const processors = new Map<string, MarkdownProcessor>();
  return (lang, dir) => {
    const key = `${lang}|${dir}`;
    let processor = processors.get(key);
    if (!processor) {
      processor = createMarkdownProcessor({ dir, strings: localeFor(lang, config.lang), siteUrl: config.url });
      processors.set(key, processor);
    }
    return processor;
  };
}
