import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { makeSite } from '../helpers/site.js';
import { launchBrowser } from './browser.js';
import { serveFolder, type StaticServer } from './serve.js';
import { join } from 'node:path';

/** One post per right-to-left language, each with the face its readers expect and its own strings. */
const POSTS = {
  ar: { title: 'محادثات إسطنبول', body: 'قالت وزارة الخارجية إن التطبيع طريق ذو اتجاهين.', font: 'Noto Naskh Arabic', share: 'يمكنك مشاركة هذه القصة على وسائل التواصل الاجتماعي:' },
  fa: { title: 'گفت‌وگوهای استانبول', body: 'وزارت خارجه گفت عادی‌سازی راهی دوطرفه است.', font: 'Vazirmatn', share: 'می‌توانید این داستان را در شبکه‌های اجتماعی به اشتراک بگذارید:' },
  ur: { title: 'استنبول مذاکرات', body: 'وزارت خارجہ نے کہا کہ معمول پر لانا دو طرفہ عمل ہے۔', font: 'Noto Nastaliq Urdu', share: 'یہ کہانی سوشل میڈیا پر شیئر کریں:' },
  he: { title: 'השיחות באיסטנבול', body: 'משרד החוץ אמר שהנורמליזציה היא דרך דו-סטרית.', font: 'Noto Sans Hebrew', share: 'אפשר לשתף את הסיפור הזה ברשתות החברתיות:' },
} as const;

describe('posts in Arabic, Persian, Urdu and Hebrew in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const [lang, post] of Object.entries(POSTS)) {
      files[`posts/${lang}.md`] = `---\ntitle: "${post.title}"\ndate: 2025-03-01\nlang: ${lang}\n---\n\n${post.body}\n`;
    }
    const root = await makeSite(files);
    await build({ root });
    server = await serveFolder(join(root, 'dist', 'blog'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [lang, post] of Object.entries(POSTS)) {
    it(`${lang}: right to left, its own strings, and its own font loaded`, async () => {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      await page.goto(new URL(`${lang}/`, server.url).href);
      const facts = await page.evaluate(async () => {
        await document.fonts.ready;
        const body = document.querySelector('.post-body p')!;
        return {
          lang: document.documentElement.lang,
          direction: getComputedStyle(body).direction,
          share: document.querySelector('.share-lead')?.textContent,
          loaded: [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family.replace(/"/g, '')),
          firstFont: getComputedStyle(body).fontFamily.split(',')[0]?.replace(/"/g, '').trim(),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(facts).toMatchObject({ lang, direction: 'rtl', share: post.share, firstFont: post.font });
      expect(facts.loaded).toContain(post.font);
      expect(facts.overflow).toBeLessThanOrEqual(0);
      await page.close();
    });
  }
});
