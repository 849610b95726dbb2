/* sahifa: the subscribe form answers in place.
 *
 * Without this file the form is a plain form: it posts, and `sahifa serve` answers with a page that
 * links back. With it, the form (marked `data-subscribe-inline`) is sent with fetch and
 * `Accept: application/json`, and the service's sentence appears in the form's status region
 * (role="status", announced by screen readers) in the form's own language and direction. The form
 * stays usable throughout: nothing is disabled or hidden, a second press while a request is out is
 * ignored. No third party, no inline code, no eval: it runs under `Content-Security-Policy:
 * script-src 'self'`. Text from the server is written with textContent, never as HTML.
 *
 * DOM methods are called through their prototypes: a form's fields shadow its properties by name
 * (a field named "action" or "getAttribute" would replace form.action or form.getAttribute), and
 * named elements shadow the document's.
 */
'use strict';

(function () {
  /** How long to wait for the service before saying it could not be reached. */
  var TIMEOUT_MS = 20000;

  if (typeof window.fetch !== 'function' || typeof window.FormData !== 'function' || typeof window.URLSearchParams !== 'function') return;

  var find = Element.prototype.querySelector;
  var getAttribute = Element.prototype.getAttribute;
  var setAttribute = Element.prototype.setAttribute;
  var removeAttribute = Element.prototype.removeAttribute;
  var listen = EventTarget.prototype.addEventListener;

  var forms = Document.prototype.querySelectorAll.call(document, 'form[data-subscribe-inline]');
  for (var index = 0; index < forms.length; index += 1) enhance(forms[index]);

  /** @param {HTMLFormElement} form */
  function enhance(form) {
    var status = find.call(form, '[role="status"]');
    if (!status) return;
    var email = find.call(form, 'input[type="email"]');
    var button = find.call(form, 'button[type="submit"], button:not([type])');
    var action = new URL(getAttribute.call(form, 'action') || '', document.baseURI).href;
    var sending = getAttribute.call(form, 'data-sending') || '';
    var offline = getAttribute.call(form, 'data-offline') || '';
    var busy = false;

    if (email) {
      listen.call(email, 'input', function () {
        removeAttribute.call(email, 'aria-invalid');
      });
    }

    listen.call(form, 'submit', function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      setAttribute.call(form, 'aria-busy', 'true');
      if (button) setAttribute.call(button, 'aria-disabled', 'true');
      show(sending, 'busy');

      var controller = typeof AbortController === 'function' ? new AbortController() : undefined;
      var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : undefined;
      var body = new URLSearchParams(new FormData(form));

      fetch(action, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: body,
        credentials: 'omit',
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          var type = response.headers.get('content-type') || '';
          if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) return { status: response.status };
          return response.json().then(
            function (data) { return { status: response.status, data: data }; },
            function () { return { status: response.status }; },
          );
        })
        .then(function (answer) {
          var data = answer.data;
          if (data && data.ok === true && typeof data.message === 'string') {
            show(data.message, 'ok');
          } else if (data && data.ok === false && typeof data.error === 'string') {
            show(data.error, 'error');
            if (email && answer.status === 400) setAttribute.call(email, 'aria-invalid', 'true');
          } else {
            show(offline, 'error');
          }
        })
        .catch(function () {
          show(offline, 'error');
        })
        .then(function () {
          if (timer !== undefined) clearTimeout(timer);
          busy = false;
          removeAttribute.call(form, 'aria-busy');
          if (button) removeAttribute.call(button, 'aria-disabled');
        });
    });

    /**
     * Writes a sentence into the status region.
     * @param {string} text
     * @param {'busy' | 'ok' | 'error'} state
     */
    function show(text, state) {
      setAttribute.call(status, 'data-state', state);
      status.textContent = String(text).slice(0, 500);
    }
  }
})();
