import { EVENTS_PATH, type BuildState } from './live-reload.js';

/**
 * The script the dev server adds to every page. Written by hand: it is short,
 * has no dependency and runs only in development.
 *
 * It shares the page with post content, whose `id`s and `name`s become
 * properties of `document` (`<img name="getElementById">` replaces
 * `document.getElementById`, `<img name="body">` replaces `document.body`:
 * DOM clobbering). So it never reads `document`'s properties: it calls the
 * DOM's methods from their prototypes, keeps references to the elements it
 * makes instead of looking them up, and draws the overlay inside a shadow
 * root, where the page's CSS does not reach either.
 */
const SOURCE = `(() => {
const served = __STATE__;
const call = (proto, name, self, ...args) => Reflect.apply(Reflect.getOwnPropertyDescriptor(proto, name).value, self, args);
const get = (proto, name, self) => Reflect.apply(Reflect.getOwnPropertyDescriptor(proto, name).get, self, []);
let host;
let text;
const show = (messages, build) => {
  if (!host) {
    host = call(Document.prototype, 'createElement', document, 'sahifa-build-error');
    host.id = 'sahifa-build-error';
    // Inline and !important: no rule of the page's stylesheet can hide or move it.
    host.style.cssText = 'all:initial!important;position:fixed!important;inset:0!important;z-index:2147483647!important;display:block!important';
    const shadow = host.attachShadow({ mode: 'open' });
    text = call(Document.prototype, 'createElement', document, 'pre');
    text.dir = 'ltr';
    text.style.cssText = 'box-sizing:border-box;height:100%;margin:0;padding:1.5rem;overflow:auto;background:#1c1b1a;color:#ffb4a8;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap;text-align:left';
    shadow.append(text);
  }
  text.textContent = (build > 0
    ? 'sahifa: the build failed; this page is the last good build. Fix the errors and save: the page reloads by itself.'
    : 'sahifa: the build failed, and there is no good build yet. Fix the errors and save: the page reloads by itself.') + '\\n\\n' + messages.join('\\n');
  if (!host.isConnected) call(Node.prototype, 'appendChild', get(Document.prototype, 'documentElement', document), host);
};
const hide = () => host?.remove();
const apply = (state) => {
  if (state.build !== served.build) location.reload();
  else if (state.messages.length > 0) show(state.messages, state.build);
  else hide();
};
apply(served);
const events = new EventSource(__EVENTS__);
events.onmessage = (message) => apply(JSON.parse(message.data));
})();`;

/**
 * The live-reload and error-overlay script for a page served in `state`:
 * it shows the build's errors over the page at once when the build is
 * broken, and afterwards follows the server's events (reloading after a new
 * good build, showing or hiding the errors).
 *
 * @param state The build state when the page is served.
 * @returns A `<script>` element.
 */
export function clientScript(state: BuildState): string {
  const source = SOURCE.replace('__STATE__', () => scriptJson(state)).replace('__EVENTS__', () => scriptJson(EVENTS_PATH));
  return `<script>${source}</script>`;
}

/** JSON that cannot end the `<script>` it sits in, whatever the build's messages hold. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A page with the client script added before its last `</body>` (or at its
 * end when it has none).
 *
 * @param html  The page.
 * @param state The build state when the page is served.
 */
export function withClientScript(html: string, state: BuildState): string {
  const script = clientScript(state);
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}${script}` : `${html.slice(0, at)}${script}\n${html.slice(at)}`;
}
