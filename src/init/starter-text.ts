/** The words of a new site in one language: what `sahifa init` writes before the writer does. */
export interface StarterText {
  siteTitle: string;
  siteDescription: string;
  postTitle: string;
  postBody: string;
  aboutTitle: string;
  aboutBody: string;
}

const ENGLISH: StarterText = {
  siteTitle: 'My blog',
  siteDescription: 'A new blog.',
  postTitle: 'Welcome',
  postBody: 'This is the first post of your new site. Edit it in `posts/` or delete it, then run `npm run build` to build the site.',
  aboutTitle: 'About',
  aboutBody: 'Say here who you are and what you write about. This page is `pages/about.md`.',
};

/** Starter texts by primary language subtag. */
const TEXTS: Readonly<Record<string, StarterText>> = {
  en: ENGLISH,
  ar: {
    siteTitle: 'مدونتي',
    siteDescription: 'مدونة جديدة تُنشر بالعربية.',
    postTitle: 'مرحبًا بكم',
    postBody: 'هذه أول تدوينة في موقعكم الجديد. عدّلوها في `posts/` أو احذفوها، ثم شغّلوا `npm run build` لبناء الموقع.',
    aboutTitle: 'من نحن',
    aboutBody: 'اكتبوا هنا من أنتم وعمّ تكتبون. هذه الصفحة في `pages/about.md`.',
  },
  fa: {
    siteTitle: 'وبلاگ من',
    siteDescription: 'وبلاگی تازه به فارسی.',
    postTitle: 'خوش آمدید',
    postBody: 'این نخستین نوشتهٔ سایت تازهٔ شماست. آن را در `posts/` ویرایش یا حذف کنید، سپس با `npm run build` سایت را بسازید.',
    aboutTitle: 'دربارهٔ ما',
    aboutBody: 'اینجا بنویسید که کیستید و دربارهٔ چه می‌نویسید. این صفحه در `pages/about.md` است.',
  },
  he: {
    siteTitle: 'הבלוג שלי',
    siteDescription: 'בלוג חדש בעברית.',
    postTitle: 'ברוכים הבאים',
    postBody: 'זהו הפוסט הראשון באתר החדש שלכם. ערכו אותו בתיקייה `posts/` או מחקו אותו, ואז הריצו `npm run build` כדי לבנות את האתר.',
    aboutTitle: 'אודות',
    aboutBody: 'כתבו כאן מי אתם ועל מה אתם כותבים. הדף הזה נמצא בקובץ `pages/about.md`.',
  },
  ur: {
    siteTitle: 'میرا بلاگ',
    siteDescription: 'اردو میں ایک نیا بلاگ۔',
    postTitle: 'خوش آمدید',
    postBody: 'یہ آپ کی نئی سائٹ کی پہلی تحریر ہے۔ اسے `posts/` میں بدلیں یا حذف کریں، پھر سائٹ بنانے کے لیے `npm run build` چلائیں۔',
    aboutTitle: 'ہمارے بارے میں',
    aboutBody: 'یہاں لکھیں کہ آپ کون ہیں اور کس بارے میں لکھتے ہیں۔ یہ صفحہ `pages/about.md` میں ہے۔',
  },
};

/**
 * The starter texts for a language: Arabic, English, Persian, Hebrew and Urdu
 * have their own; any other language gets the English ones (the site still
 * carries the language asked for).
 *
 * @param lang A canonical BCP 47 tag, e.g. `ar-EG`.
 */
export function starterText(lang: string): StarterText {
  return TEXTS[new Intl.Locale(lang).language] ?? ENGLISH;
}
