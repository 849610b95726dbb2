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

/** The built-in tables, by primary language subtag. */
export const SERVICE_STRINGS: Readonly<Record<string, ServiceStrings>> = { ar, en };

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
