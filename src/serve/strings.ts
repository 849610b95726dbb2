/**
 * The sentences of `sahifa serve`'s pages, JSON answers and emails, per
 * language. `{site}`, `{email}` and `{hours}` are filled in.
 */
export interface ServiceStrings {
  /** Title of the page that answers a subscribe request. */
  subscribeTitle: string;
  /** The answer to every well-formed request, whatever the address's state (nobody learns who is subscribed). */
  subscribeAnswer: string;
  /** A malformed address. */
  badAddress: string;
  /** Too many requests (429). */
  tooMany: string;
  /** A body over the limit (413), or one that is no form (400, 415). */
  badRequest: string;
  /** A post from another site's page (403). */
  wrongOrigin: string;
  /** Something failed on our side (500, 503). */
  tryLater: string;
  /** Link back to the page the form was on. */
  back: string;
  /** Title of the confirmation page and subject of the confirmation email. */
  confirmTitle: string;
  /** The confirmation page's question. */
  confirmQuestion: string;
  /** Its button, and the confirmation email's. */
  confirmButton: string;
  /** After confirming (and on a second visit). */
  confirmed: string;
  /** An expired confirmation link. */
  confirmExpired: string;
  /** A confirmation link that is not genuine, or no longer applies. */
  confirmInvalid: string;
  /** The confirmation email's body; `{email}`, `{site}`, `{hours}`. */
  confirmEmailLead: string;
  /** The confirmation email: what to do if you did not ask. */
  confirmEmailIgnore: string;
  /** The welcome email's subject. */
  welcomeSubject: string;
  /** The welcome email's body. */
  welcomeLead: string;
  /** Title of the unsubscribe pages. */
  unsubscribeTitle: string;
  /** A second visit to an unsubscribe link. */
  alreadyUnsubscribed: string;
  /** The button that subscribes again (with a new confirmation). */
  subscribeAgain: string;
  /** Title of the page of a link that is not genuine. */
  badLinkTitle: string;
}

const ar: ServiceStrings = {
  subscribeTitle: 'الاشتراك في النشرة',
  subscribeAnswer: 'شكرًا لك. إن لم يكن هذا العنوان مشتركًا بعد، فستصله رسالة فيها رابط لتأكيد الاشتراك في نشرة {site}. افتحها واضغط الزر لإتمام الاشتراك.',
  badAddress: 'لا يبدو هذا عنوان بريد إلكتروني صحيحًا. تحقق منه وأعد المحاولة.',
  tooMany: 'وصلتنا طلبات كثيرة في وقت قصير. أعد المحاولة لاحقًا.',
  badRequest: 'لم نفهم هذا الطلب. أعد إرسال النموذج من صفحة الموقع.',
  wrongOrigin: 'لا يُقبل هذا النموذج إلا من صفحات {site}.',
  tryLater: 'لم نتمكن من تسجيل طلبك الآن، ولم يتغير شيء. أعد المحاولة بعد دقيقة.',
  back: 'العودة إلى الصفحة',
  confirmTitle: 'أكّد اشتراكك في نشرة {site}',
  confirmQuestion: 'اضغط الزر لتأكيد اشتراك {email} في نشرة {site}.',
  confirmButton: 'تأكيد الاشتراك',
  confirmed: 'تم تأكيد اشتراكك في نشرة {site}. ستصلك الرسالة القادمة.',
  confirmExpired: 'انتهت صلاحية رابط التأكيد هذا. اشترك مرة أخرى من الموقع لتصلك رسالة جديدة.',
  confirmInvalid: 'رابط التأكيد هذا غير صالح أو لم يعد يعمل. اشترك مرة أخرى من الموقع لتصلك رسالة جديدة.',
  confirmEmailLead: 'طلب أحدهم — ونرجو أن تكون أنت — اشتراك {email} في نشرة {site}. اضغط الزر أدناه للتأكيد؛ يعمل الرابط مدة {hours} ساعة.',
  confirmEmailIgnore: 'إن لم تطلب ذلك فتجاهل هذه الرسالة، ولن يُسجَّل اشتراكك.',
  welcomeSubject: 'مرحبًا بك في نشرة {site}',
  welcomeLead: 'تم تأكيد اشتراكك في نشرة {site}. ستصلك التدوينات الجديدة على هذا العنوان.',
  unsubscribeTitle: 'إلغاء الاشتراك',
  alreadyUnsubscribed: 'تم إلغاء اشتراكك في نشرة {site} من قبل، فلن تصلك منا رسائل أخرى.',
  subscribeAgain: 'الاشتراك من جديد',
  badLinkTitle: 'رابط غير صالح',
};

const en: ServiceStrings = {
  subscribeTitle: 'Subscribe to the newsletter',
  subscribeAnswer: 'Thank you. If this address is not subscribed yet, a message with a link to confirm the subscription to {site} is on its way to it. Open it and press the button to finish.',
  badAddress: 'That does not look like an email address. Check it and try again.',
  tooMany: 'Too many requests in a short time. Try again later.',
  badRequest: 'We could not read this request. Send the form again from the site.',
  wrongOrigin: 'This form is accepted only from the pages of {site}.',
  tryLater: 'We could not record your request just now, and nothing changed. Try again in a minute.',
  back: 'Back to the page',
  confirmTitle: 'Confirm your subscription to {site}',
  confirmQuestion: 'Press the button to confirm the subscription of {email} to {site}.',
  confirmButton: 'Confirm subscription',
  confirmed: 'Your subscription to {site} is confirmed. The next newsletter will reach you.',
  confirmExpired: 'This confirmation link has expired. Subscribe again on the site to get a new one.',
  confirmInvalid: 'This confirmation link is not valid or no longer works. Subscribe again on the site to get a new one.',
  confirmEmailLead: 'Someone, hopefully you, asked to subscribe {email} to the newsletter of {site}. Press the button below to confirm; the link works for {hours} hours.',
  confirmEmailIgnore: 'If you did not ask for this, ignore this message: you will not be subscribed.',
  welcomeSubject: 'Welcome to {site}',
  welcomeLead: 'Your subscription to {site} is confirmed. New posts will reach you at this address.',
  unsubscribeTitle: 'Unsubscribe',
  alreadyUnsubscribed: 'You are already unsubscribed from {site}: no more mail from us will reach you.',
  subscribeAgain: 'Subscribe again',
  badLinkTitle: 'Link not valid',
};

const he: ServiceStrings = {
  subscribeTitle: 'הרשמה לניוזלטר',
  subscribeAnswer: 'תודה. אם הכתובת הזאת עדיין לא רשומה, נשלחה אליה הודעה עם קישור לאישור ההרשמה לניוזלטר של {site}. פתחו אותה ולחצו על הכפתור כדי לסיים.',
  badAddress: 'זו לא נראית כתובת דוא״ל תקינה. בדקו אותה ונסו שוב.',
  tooMany: 'הגיעו יותר מדי בקשות בזמן קצר. נסו שוב מאוחר יותר.',
  badRequest: 'לא הצלחנו לקרוא את הבקשה. שלחו את הטופס שוב מהאתר.',
  wrongOrigin: 'הטופס הזה מתקבל רק מהדפים של {site}.',
  tryLater: 'לא הצלחנו לרשום את הבקשה כרגע, ושום דבר לא השתנה. נסו שוב בעוד דקה.',
  back: 'חזרה לדף',
  confirmTitle: 'אשרו את ההרשמה לניוזלטר של {site}',
  confirmQuestion: 'לחצו על הכפתור כדי לאשר את ההרשמה של {email} לניוזלטר של {site}.',
  confirmButton: 'אישור ההרשמה',
  confirmed: 'ההרשמה שלכם לניוזלטר של {site} אושרה. הגיליון הבא יגיע אליכם.',
  confirmExpired: 'תוקף קישור האישור הזה פג. הירשמו שוב באתר כדי לקבל קישור חדש.',
  confirmInvalid: 'קישור האישור הזה אינו תקף או שכבר אינו פעיל. הירשמו שוב באתר כדי לקבל קישור חדש.',
  confirmEmailLead: 'מישהו, אנו מקווים שאתם, ביקש לרשום את {email} לניוזלטר של {site}. לחצו על הכפתור למטה לאישור; הקישור פעיל {hours} שעות.',
  confirmEmailIgnore: 'אם לא ביקשתם זאת, התעלמו מההודעה: לא תירשמו.',
  welcomeSubject: 'ברוכים הבאים לניוזלטר של {site}',
  welcomeLead: 'ההרשמה שלכם לניוזלטר של {site} אושרה. פוסטים חדשים יגיעו לכתובת הזאת.',
  unsubscribeTitle: 'ביטול הרשמה',
  alreadyUnsubscribed: 'ההרשמה שלכם לניוזלטר של {site} כבר בוטלה: לא יגיעו אליכם מאיתנו הודעות נוספות.',
  subscribeAgain: 'הרשמה מחדש',
  badLinkTitle: 'קישור לא תקף',
};

const fa: ServiceStrings = {
  subscribeTitle: 'اشتراک در خبرنامه',
  subscribeAnswer: 'سپاس. اگر این نشانی هنوز مشترک نشده باشد، پیامی با پیوند تأیید اشتراک در خبرنامهٔ {site} برایش فرستاده شد. آن را باز کنید و دکمه را بزنید تا کار تمام شود.',
  badAddress: 'این یک نشانی ایمیل درست به نظر نمی‌رسد. آن را بررسی کنید و دوباره بکوشید.',
  tooMany: 'در زمانی کوتاه درخواست‌های زیادی رسید. بعداً دوباره بکوشید.',
  badRequest: 'نتوانستیم این درخواست را بخوانیم. فرم را دوباره از سایت بفرستید.',
  wrongOrigin: 'این فرم فقط از صفحه‌های {site} پذیرفته می‌شود.',
  tryLater: 'نتوانستیم درخواست شما را اکنون ثبت کنیم و چیزی تغییر نکرد. یک دقیقهٔ دیگر دوباره بکوشید.',
  back: 'بازگشت به صفحه',
  confirmTitle: 'اشتراک خود را در خبرنامهٔ {site} تأیید کنید',
  confirmQuestion: 'برای تأیید اشتراک {email} در خبرنامهٔ {site} دکمه را بزنید.',
  confirmButton: 'تأیید اشتراک',
  confirmed: 'اشتراک شما در خبرنامهٔ {site} تأیید شد. شمارهٔ بعدی به دستتان می‌رسد.',
  confirmExpired: 'این پیوند تأیید منقضی شده است. برای دریافت پیوندی تازه دوباره در سایت مشترک شوید.',
  confirmInvalid: 'این پیوند تأیید معتبر نیست یا دیگر کار نمی‌کند. برای دریافت پیوندی تازه دوباره در سایت مشترک شوید.',
  confirmEmailLead: 'کسی، که امیدواریم خود شما باشید، خواسته است {email} در خبرنامهٔ {site} مشترک شود. برای تأیید دکمهٔ زیر را بزنید؛ پیوند تا {hours} ساعت کار می‌کند.',
  confirmEmailIgnore: 'اگر چنین درخواستی نداده‌اید، این پیام را نادیده بگیرید: مشترک نخواهید شد.',
  welcomeSubject: 'به خبرنامهٔ {site} خوش آمدید',
  welcomeLead: 'اشتراک شما در خبرنامهٔ {site} تأیید شد. نوشته‌های تازه به این نشانی می‌رسند.',
  unsubscribeTitle: 'لغو اشتراک',
  alreadyUnsubscribed: 'اشتراک شما در خبرنامهٔ {site} پیش‌تر لغو شده است: دیگر پیامی از ما دریافت نمی‌کنید.',
  subscribeAgain: 'اشتراک دوباره',
  badLinkTitle: 'پیوند نامعتبر',
};

const ur: ServiceStrings = {
  subscribeTitle: 'نیوز لیٹر کی سبسکرپشن',
  subscribeAnswer: 'شکریہ۔ اگر یہ پتا ابھی سبسکرائب نہیں ہے تو اس پر {site} کے نیوز لیٹر کی سبسکرپشن کی تصدیق کے ربط والا پیغام بھیج دیا گیا ہے۔ اسے کھولیں اور بٹن دبا کر مکمل کریں۔',
  badAddress: 'یہ درست ای میل پتا نہیں لگتا۔ اسے جانچیں اور دوبارہ کوشش کریں۔',
  tooMany: 'کم وقت میں بہت زیادہ درخواستیں آئیں۔ بعد میں دوبارہ کوشش کریں۔',
  badRequest: 'ہم یہ درخواست نہیں پڑھ سکے۔ ویب سائٹ سے فارم دوبارہ بھیجیں۔',
  wrongOrigin: 'یہ فارم صرف {site} کے صفحات سے قبول کیا جاتا ہے۔',
  tryLater: 'ہم ابھی آپ کی درخواست درج نہیں کر سکے، اور کچھ تبدیل نہیں ہوا۔ براہِ کرم ایک منٹ بعد دوبارہ کوشش کریں۔',
  back: 'صفحے پر واپس',
  confirmTitle: '{site} کے نیوز لیٹر کی سبسکرپشن کی تصدیق کریں',
  confirmQuestion: '{site} کے نیوز لیٹر میں {email} کی سبسکرپشن کی تصدیق کے لیے بٹن دبائیں۔',
  confirmButton: 'سبسکرپشن کی تصدیق',
  confirmed: '{site} کے نیوز لیٹر میں آپ کی سبسکرپشن کی تصدیق ہو گئی۔ اگلا شمارہ آپ تک پہنچے گا۔',
  confirmExpired: 'تصدیق کے اس ربط کی میعاد ختم ہو گئی ہے۔ نیا ربط پانے کے لیے ویب سائٹ پر دوبارہ سبسکرائب کریں۔',
  confirmInvalid: 'تصدیق کا یہ ربط درست نہیں یا اب کام نہیں کرتا۔ نیا ربط پانے کے لیے ویب سائٹ پر دوبارہ سبسکرائب کریں۔',
  confirmEmailLead: 'کسی نے، امید ہے آپ ہی نے، {site} کے نیوز لیٹر کے لیے {email} کو سبسکرائب کرنے کی درخواست کی ہے۔ تصدیق کے لیے نیچے بٹن دبائیں؛ ربط {hours} گھنٹے تک کام کرے گا۔',
  confirmEmailIgnore: 'اگر آپ نے یہ درخواست نہیں کی تو اس پیغام کو نظر انداز کریں: آپ سبسکرائب نہیں ہوں گے۔',
  welcomeSubject: '{site} کے نیوز لیٹر میں خوش آمدید',
  welcomeLead: '{site} کے نیوز لیٹر میں آپ کی سبسکرپشن کی تصدیق ہو گئی۔ نئی تحریریں اسی پتے پر پہنچیں گی۔',
  unsubscribeTitle: 'سبسکرپشن ختم کریں',
  alreadyUnsubscribed: '{site} سے آپ کی سبسکرپشن پہلے ہی ختم کی جا چکی ہے: آپ کو ہماری طرف سے مزید ای میل نہیں ملے گی۔',
  subscribeAgain: 'دوبارہ سبسکرائب کریں',
  badLinkTitle: 'ربط درست نہیں',
};

/** The built-in tables, by primary language subtag (the same languages as the theme's strings). */
export const SERVICE_STRINGS: Readonly<Record<string, ServiceStrings>> = { ar, en, he, fa, ur };

/**
 * The service's strings for the site's language, and the language they are
 * in (English when sahifa has no table for it).
 *
 * @param lang The site's language tag.
 */
export function serviceStrings(lang: string): { lang: string; strings: ServiceStrings } {
  const primary = lang.toLowerCase().split('-')[0] ?? lang;
  const table = SERVICE_STRINGS[primary];
  return table ? { lang: primary, strings: table } : { lang: 'en', strings: en };
}
