/**
 * The fixed strings of the default theme, per language. Templates reach them
 * as `{{t.key}}`; `{site}` in a string is replaced by the site's title and
 * `{n}` by a number.
 */
export interface LocaleStrings {
  /** Sentence before the share links. */
  share: string;
  /** Names of the share targets, in the reader's language. */
  shareTargets: { x: string; facebook: string; whatsapp: string; telegram: string; linkedin: string; email: string };
  /** Heading of the subscribe footer: "Discover more from {site}". */
  discoverMore: string;
  /** The subscribe sentence. */
  subscribeLead: string;
  /** Label of the email field. */
  emailLabel: string;
  /** Placeholder of the email field. */
  emailPlaceholder: string;
  /** Label of the subscribe button. */
  subscribeButton: string;
  /** Subscribe form (with its script): shown while the address is on its way. */
  subscribeSending: string;
  /** Subscribe form (with its script): the service could not be reached or gave no answer. */
  subscribeOffline: string;
  /** Label of the subscribe form's honeypot field, which people never see. */
  subscribeTrap: string;
  /** Reading time, by CLDR plural category (`other` is required). */
  readingTime: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  /** Label before the author's name. */
  byline: string;
  /** Label of the tag list. */
  tags: string;
  /** Accessible name of the share list. */
  shareLabel: string;
  /** Link that skips to the content. */
  skipToContent: string;
  /** Heading of the post list on the index page. */
  latestPosts: string;
  /** Heading of the footnotes section. */
  footnotes: string;
  /** Label of a footnote's back link. */
  backToReference: string;
  /** Email: the button to the post's page. */
  readOnWeb: string;
  /** Email: the link that unsubscribes. */
  unsubscribe: string;
  /** Email: why the reader gets it; `{site}` and `{email}` are filled in. */
  whyReceiving: string;
  /** Heading of a tag's page; `{tag}` is filled in. */
  taggedWith: string;
  /** Heading of the page listing every tag. */
  allTags: string;
  /** Link to newer posts (pagination). */
  newerPosts: string;
  /** Link to older posts (pagination). */
  olderPosts: string;
  /** Where the reader is in the pagination; `{n}` and `{total}` are filled in. */
  pageOf: string;
  /** Accessible name of the pagination. */
  pagination: string;
  /** Title of the 404 page. */
  notFoundTitle: string;
  /** Text of the 404 page. */
  notFoundText: string;
  /** Link home from the 404 page. */
  backHome: string;
  /** Unsubscribe page: the question; `{site}` and `{email}` are filled in. */
  unsubscribeQuestion: string;
  /** Unsubscribe page: after unsubscribing; `{site}` is filled in. */
  unsubscribed: string;
  /** Unsubscribe page: a link that is not genuine or is damaged. */
  unsubscribeBadLink: string;
  /** Unsubscribe page: the request could not be recorded yet (database busy); nothing was changed. */
  unsubscribeBusy: string;
  /** The search page's title and the header link to it. */
  search: string;
  /** Label of the search field. */
  searchLabel: string;
  /** Label of the search button. */
  searchButton: string;
  /** Search page without JavaScript: why there is no form, before the link to the tags. */
  searchNoScript: string;
  /** Search page: how many posts match; `{n}` is filled in. */
  searchCount: string;
  /** Search page: nothing matches; `{query}` is filled in. */
  searchNone: string;
  /** Search page: the index could not be loaded. */
  searchFailed: string;
}

const ar: LocaleStrings = {
  share: 'يمكنك مشاركة هذه القصة على وسائل التواصل الاجتماعي:',
  shareTargets: {
    x: 'إكس',
    facebook: 'فيسبوك',
    whatsapp: 'واتساب',
    telegram: 'تيليجرام',
    linkedin: 'لينكدإن',
    email: 'البريد الإلكتروني',
  },
  discoverMore: 'اكتشاف المزيد من {site}',
  subscribeLead: 'اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.',
  emailLabel: 'بريدك الإلكتروني',
  emailPlaceholder: 'name@example.com',
  subscribeButton: 'اشترك',
  subscribeSending: 'جارٍ الإرسال…',
  subscribeOffline: 'تعذّر الوصول إلى الخادم. تحقّق من اتصالك وأعد المحاولة.',
  subscribeTrap: 'اترك هذا الحقل فارغًا',
  readingTime: {
    zero: 'أقل من دقيقة قراءة',
    one: 'دقيقة قراءة واحدة',
    two: 'دقيقتان للقراءة',
    few: '{n} دقائق للقراءة',
    many: '{n} دقيقة للقراءة',
    other: '{n} دقيقة للقراءة',
  },
  byline: 'بقلم',
  tags: 'الوسوم',
  shareLabel: 'روابط المشاركة',
  skipToContent: 'انتقل إلى المحتوى',
  latestPosts: 'أحدث التدوينات',
  footnotes: 'الحواشي',
  backToReference: 'العودة إلى موضع الإشارة',
  readOnWeb: 'اقرأ على الموقع',
  unsubscribe: 'إلغاء الاشتراك',
  whyReceiving: 'تصلك هذه الرسالة لأنك اشتركت في نشرة {site} بالعنوان {email}.',
  taggedWith: 'تدوينات موسومة بـ«{tag}»',
  allTags: 'كل الوسوم',
  newerPosts: 'تدوينات أحدث',
  olderPosts: 'تدوينات أقدم',
  pageOf: 'الصفحة {n} من {total}',
  pagination: 'التنقل بين الصفحات',
  notFoundTitle: 'الصفحة غير موجودة',
  notFoundText: 'لم نجد الصفحة التي تبحث عنها. ربما نُقلت أو حُذفت.',
  backHome: 'العودة إلى الصفحة الرئيسية',
  unsubscribeQuestion: 'هل تريد إلغاء اشتراك {email} في نشرة {site}؟',
  unsubscribed: 'تم إلغاء اشتراكك في نشرة {site}. لن تصلك منا رسائل أخرى.',
  unsubscribeBadLink: 'هذا الرابط غير صالح أو ناقص. افتح رابط إلغاء الاشتراك من آخر رسالة وصلتك.',
  unsubscribeBusy: 'لم نتمكن من تسجيل طلبك الآن، ولم يتغير شيء. أعد المحاولة بعد دقيقة.',
  search: 'بحث',
  searchLabel: 'ابحث في التدوينات',
  searchButton: 'ابحث',
  searchNoScript: 'يعمل البحث في هذه الصفحة بلغة JavaScript، وهي معطّلة في متصفحك. يمكنك تصفّح التدوينات حسب الوسوم:',
  searchCount: 'عدد النتائج: {n}',
  searchNone: 'لا توجد تدوينات تطابق «{query}».',
  searchFailed: 'تعذّر تحميل فهرس البحث. أعد تحميل الصفحة وحاول مرة أخرى.',
};

const en: LocaleStrings = {
  share: 'You can share this story on social media:',
  shareTargets: { x: 'X', facebook: 'Facebook', whatsapp: 'WhatsApp', telegram: 'Telegram', linkedin: 'LinkedIn', email: 'Email' },
  discoverMore: 'Discover more from {site}',
  subscribeLead: 'Subscribe to get the latest posts sent to your email.',
  emailLabel: 'Your email address',
  emailPlaceholder: 'name@example.com',
  subscribeButton: 'Subscribe',
  subscribeSending: 'Sending…',
  subscribeOffline: 'Could not reach the server. Check your connection and try again.',
  subscribeTrap: 'Leave this field empty',
  readingTime: { one: '1 min read', other: '{n} min read' },
  byline: 'By',
  tags: 'Tags',
  shareLabel: 'Share links',
  skipToContent: 'Skip to content',
  latestPosts: 'Latest posts',
  footnotes: 'Footnotes',
  backToReference: 'Back to reference',
  readOnWeb: 'Read on the web',
  unsubscribe: 'Unsubscribe',
  whyReceiving: 'You receive this email because you subscribed to {site} as {email}.',
  taggedWith: 'Posts tagged “{tag}”',
  allTags: 'All tags',
  newerPosts: 'Newer posts',
  olderPosts: 'Older posts',
  pageOf: 'Page {n} of {total}',
  pagination: 'Pagination',
  notFoundTitle: 'Page not found',
  notFoundText: 'We could not find the page you are looking for. It may have moved or been removed.',
  backHome: 'Back to the home page',
  unsubscribeQuestion: 'Unsubscribe {email} from {site}?',
  unsubscribed: 'You have been unsubscribed from {site}. You will get no more email from us.',
  unsubscribeBadLink: 'This link is not valid or is incomplete. Open the unsubscribe link in the latest email you received.',
  unsubscribeBusy: 'We could not record your request just now, and nothing was changed. Please try again in a minute.',
  search: 'Search',
  searchLabel: 'Search the posts',
  searchButton: 'Search',
  searchNoScript: 'Search on this page runs on JavaScript, which is turned off in your browser. You can browse the posts by tag:',
  searchCount: 'Results: {n}',
  searchNone: 'No posts match “{query}”.',
  searchFailed: 'The search index could not be loaded. Reload the page and try again.',
};

const he: LocaleStrings = {
  share: 'אפשר לשתף את הסיפור הזה ברשתות החברתיות:',
  shareTargets: { x: 'X', facebook: 'פייסבוק', whatsapp: 'וואטסאפ', telegram: 'טלגרם', linkedin: 'לינקדאין', email: 'דוא״ל' },
  discoverMore: 'גלו עוד מ{site}',
  subscribeLead: 'הירשמו כדי לקבל את הפוסטים האחרונים לתיבת הדואר שלכם.',
  emailLabel: 'כתובת הדוא״ל שלכם',
  emailPlaceholder: 'name@example.com',
  subscribeButton: 'הרשמה',
  subscribeSending: 'שולח…',
  subscribeOffline: 'לא ניתן היה להגיע לשרת. בדקו את החיבור ונסו שוב.',
  subscribeTrap: 'השאירו שדה זה ריק',
  readingTime: { one: 'דקת קריאה אחת', two: 'שתי דקות קריאה', other: '{n} דקות קריאה' },
  byline: 'מאת',
  tags: 'תגיות',
  shareLabel: 'קישורי שיתוף',
  skipToContent: 'דלגו לתוכן',
  latestPosts: 'פוסטים אחרונים',
  footnotes: 'הערות שוליים',
  backToReference: 'חזרה להפניה',
  readOnWeb: 'לקריאה באתר',
  unsubscribe: 'ביטול המינוי',
  whyReceiving: 'הודעה זו נשלחה אליכם כי נרשמתם לעדכונים של {site} בכתובת {email}.',
  taggedWith: 'פוסטים עם התגית „{tag}”',
  allTags: 'כל התגיות',
  newerPosts: 'פוסטים חדשים יותר',
  olderPosts: 'פוסטים ישנים יותר',
  pageOf: 'עמוד {n} מתוך {total}',
  pagination: 'ניווט בין עמודים',
  notFoundTitle: 'הדף לא נמצא',
  notFoundText: 'לא מצאנו את הדף שחיפשתם. ייתכן שהועבר או נמחק.',
  backHome: 'חזרה לדף הבית',
  unsubscribeQuestion: 'לבטל את המינוי של {email} לעדכונים של {site}?',
  unsubscribed: 'המינוי שלכם לעדכונים של {site} בוטל. לא יישלחו אליכם הודעות נוספות.',
  unsubscribeBadLink: 'הקישור אינו תקין או חסר. פתחו את קישור ביטול המינוי מההודעה האחרונה שקיבלתם.',
  unsubscribeBusy: 'לא הצלחנו לרשום את בקשתך כרגע, ודבר לא השתנה. נסו שוב בעוד דקה.',
  search: 'חיפוש',
  searchLabel: 'חיפוש ברשומות',
  searchButton: 'חיפוש',
  searchNoScript: 'החיפוש בעמוד זה פועל באמצעות JavaScript, שכבוי בדפדפן שלכם. אפשר לעיין ברשומות לפי תגיות:',
  searchCount: 'מספר תוצאות: {n}',
  searchNone: 'אין רשומות שמתאימות ל„{query}”.',
  searchFailed: 'לא ניתן היה לטעון את אינדקס החיפוש. טענו את העמוד מחדש ונסו שוב.',
};

const fa: LocaleStrings = {
  share: 'می‌توانید این داستان را در شبکه‌های اجتماعی به اشتراک بگذارید:',
  shareTargets: { x: 'ایکس', facebook: 'فیسبوک', whatsapp: 'واتس‌اپ', telegram: 'تلگرام', linkedin: 'لینکدین', email: 'ایمیل' },
  discoverMore: 'بیشتر از {site} بخوانید',
  subscribeLead: 'مشترک شوید تا تازه‌ترین نوشته‌ها به ایمیل شما فرستاده شود.',
  emailLabel: 'نشانی ایمیل شما',
  emailPlaceholder: 'name@example.com',
  subscribeButton: 'اشتراک',
  subscribeSending: 'در حال ارسال…',
  subscribeOffline: 'دسترسی به سرور ممکن نشد. اتصال خود را بررسی کنید و دوباره تلاش کنید.',
  subscribeTrap: 'این فیلد را خالی بگذارید',
  readingTime: { one: '{n} دقیقه مطالعه', other: '{n} دقیقه مطالعه' },
  byline: 'نوشتهٔ',
  tags: 'برچسب‌ها',
  shareLabel: 'پیوندهای اشتراک‌گذاری',
  skipToContent: 'رفتن به محتوا',
  latestPosts: 'تازه‌ترین نوشته‌ها',
  footnotes: 'پانویس‌ها',
  backToReference: 'بازگشت به ارجاع',
  readOnWeb: 'خواندن در وب',
  unsubscribe: 'لغو اشتراک',
  whyReceiving: 'این ایمیل را دریافت می‌کنید چون با نشانی {email} مشترک {site} شده‌اید.',
  taggedWith: 'نوشته‌های با برچسب «{tag}»',
  allTags: 'همهٔ برچسب‌ها',
  newerPosts: 'نوشته‌های تازه‌تر',
  olderPosts: 'نوشته‌های قدیمی‌تر',
  pageOf: 'صفحهٔ {n} از {total}',
  pagination: 'صفحه‌بندی',
  notFoundTitle: 'صفحه پیدا نشد',
  notFoundText: 'صفحه‌ای که به دنبالش هستید پیدا نشد. شاید جابه‌جا یا حذف شده باشد.',
  backHome: 'بازگشت به صفحهٔ اصلی',
  unsubscribeQuestion: 'اشتراک {email} در {site} لغو شود؟',
  unsubscribed: 'اشتراک شما در {site} لغو شد. دیگر ایمیلی از ما دریافت نمی‌کنید.',
  unsubscribeBadLink: 'این پیوند معتبر نیست یا ناقص است. پیوند لغو اشتراک را از آخرین ایمیلی که دریافت کرده‌اید باز کنید.',
  unsubscribeBusy: 'نتوانستیم درخواست شما را اکنون ثبت کنیم و چیزی تغییر نکرد. لطفاً یک دقیقه دیگر دوباره تلاش کنید.',
  search: 'جستجو',
  searchLabel: 'جستجو در نوشته\u200cها',
  searchButton: 'جستجو',
  searchNoScript: 'جستجو در این صفحه با JavaScript کار می\u200cکند که در مرورگر شما خاموش است. می\u200cتوانید نوشته\u200cها را بر اساس برچسب ببینید:',
  searchCount: 'تعداد نتایج: {n}',
  searchNone: 'هیچ نوشته\u200cای با «{query}» جور نیست.',
  searchFailed: 'فهرست جستجو بارگیری نشد. صفحه را دوباره بارگیری کنید و دوباره امتحان کنید.',
};

const ur: LocaleStrings = {
  share: 'یہ کہانی سوشل میڈیا پر شیئر کریں:',
  shareTargets: { x: 'ایکس', facebook: 'فیس بک', whatsapp: 'واٹس ایپ', telegram: 'ٹیلی گرام', linkedin: 'لنکڈ اِن', email: 'ای میل' },
  discoverMore: '{site} سے مزید دریافت کریں',
  subscribeLead: 'تازہ ترین تحریریں اپنے ای میل پر حاصل کرنے کے لیے سبسکرائب کریں۔',
  emailLabel: 'آپ کا ای میل پتہ',
  emailPlaceholder: 'name@example.com',
  subscribeButton: 'سبسکرائب کریں',
  subscribeSending: 'بھیجا جا رہا ہے…',
  subscribeOffline: 'سرور تک رسائی نہیں ہو سکی۔ اپنا کنکشن دیکھیں اور دوبارہ کوشش کریں۔',
  subscribeTrap: 'یہ خانہ خالی چھوڑ دیں',
  readingTime: { one: '{n} منٹ کا مطالعہ', other: '{n} منٹ کا مطالعہ' },
  byline: 'از',
  tags: 'ٹیگز',
  shareLabel: 'شیئر کرنے کے روابط',
  skipToContent: 'مواد پر جائیں',
  latestPosts: 'تازہ ترین تحریریں',
  footnotes: 'حواشی',
  backToReference: 'حوالے پر واپس جائیں',
  readOnWeb: 'ویب پر پڑھیں',
  unsubscribe: 'سبسکرپشن ختم کریں',
  whyReceiving: 'آپ کو یہ ای میل اس لیے ملی ہے کہ آپ نے {email} کے ساتھ {site} کو سبسکرائب کیا تھا۔',
  taggedWith: '«{tag}» ٹیگ والی تحریریں',
  allTags: 'تمام ٹیگز',
  newerPosts: 'نئی تحریریں',
  olderPosts: 'پرانی تحریریں',
  pageOf: 'صفحہ {n} از {total}',
  pagination: 'صفحات',
  notFoundTitle: 'صفحہ نہیں ملا',
  notFoundText: 'جو صفحہ آپ تلاش کر رہے ہیں وہ نہیں ملا۔ شاید اسے منتقل یا حذف کر دیا گیا ہے۔',
  backHome: 'سرورق پر واپس جائیں',
  unsubscribeQuestion: 'کیا {email} کی {site} سے سبسکرپشن ختم کی جائے؟',
  unsubscribed: '{site} سے آپ کی سبسکرپشن ختم کر دی گئی ہے۔ آپ کو ہماری طرف سے مزید ای میل نہیں ملے گی۔',
  unsubscribeBadLink: 'یہ ربط درست نہیں یا نامکمل ہے۔ اپنی تازہ ترین ای میل میں موجود ربط کھولیں۔',
  unsubscribeBusy: 'ہم ابھی آپ کی درخواست درج نہیں کر سکے، اور کچھ تبدیل نہیں ہوا۔ براہِ کرم ایک منٹ بعد دوبارہ کوشش کریں۔',
  search: 'تلاش',
  searchLabel: 'تحریروں میں تلاش کریں',
  searchButton: 'تلاش کریں',
  searchNoScript: 'اس صفحے پر تلاش JavaScript سے چلتی ہے، جو آپ کے براؤزر میں بند ہے۔ آپ ٹیگز کے ذریعے تحریریں دیکھ سکتے ہیں:',
  searchCount: 'نتائج: {n}',
  searchNone: '«{query}» سے کوئی تحریر نہیں ملی۔',
  searchFailed: 'تلاش کا اشاریہ لوڈ نہیں ہو سکا۔ صفحہ دوبارہ لوڈ کر کے پھر کوشش کریں۔',
};

/** The built-in locale tables, by primary language subtag. */
export const LOCALES: Readonly<Record<string, LocaleStrings>> = { ar, en, he, fa, ur };

/**
 * The strings for a language tag: its own table when there is one
 * (`ar-EG` uses `ar`), else the fallback's, else English.
 *
 * @param lang     BCP 47 tag of the post or site.
 * @param fallback Tag to try next, usually the site's language.
 */
export function localeFor(lang: string, fallback?: string): LocaleStrings {
  const primary = (tag: string) => tag.toLowerCase().split('-')[0] ?? tag;
  return LOCALES[primary(lang)] ?? (fallback ? LOCALES[primary(fallback)] : undefined) ?? en;
}

/**
 * The language whose table {@link localeFor} picks for the same arguments
 * (`ar-EG` → `ar`; a language without a table → the fallback's, else `en`),
 * for the `lang` of blocks that show those strings.
 *
 * @param lang     BCP 47 tag of the post or site.
 * @param fallback Tag to try next, usually the site's language.
 */
export function localeLanguage(lang: string, fallback?: string): string {
  const primary = (tag: string) => tag.toLowerCase().split('-')[0] ?? tag;
  if (LOCALES[primary(lang)]) return primary(lang);
  return fallback && LOCALES[primary(fallback)] ? primary(fallback) : 'en';
}

/**
 * Fills `{site}`-style placeholders in a locale string.
 *
 * @param template A locale string.
 * @param values   Values by placeholder name.
 */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
