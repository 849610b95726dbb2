import Handlebars from 'handlebars';
import type { Direction } from '../../config/direction.js';
import { splitForeignRuns } from '../../markdown/bidi/text-direction.js';
import { directionHelpers } from '../block-direction.js';
import type { Helpers } from '../template-set.js';

/**
 * Escapes text for HTML and isolates the runs written against `dir`, the
 * same rule the body gets from rehype-bidi, for strings that come from front
 * matter or config (titles, descriptions, names). Pages use `<bdi>`; email
 * uses `<span dir>`, which mail clients keep.
 *
 * @param text    Plain text.
 * @param dir     Direction of the element the text goes into.
 * @param element `bdi` for pages, `span` for email.
 */
export function isolateRuns(text: string, dir: Direction, element: 'bdi' | 'span' = 'bdi'): string {
  const open = element === 'bdi' ? '<bdi>' : `<span dir="${dir === 'rtl' ? 'ltr' : 'rtl'}">`;
  return splitForeignRuns(text, dir)
    .map((run) => (run.foreign ? `${open}${Handlebars.escapeExpression(run.text)}</${element}>` : Handlebars.escapeExpression(run.text)))
    .join('');
}

/**
 * JSON for a `<script type="application/ld+json">` block: `<` is written as
 * `\u003c` so no value can close the script element.
 *
 * @param value Any JSON-serialisable value.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Helpers of the page templates: `{{isolate text dir}}`, `{{{json value}}}`, `{{textDir text dir}}` and `{{textStart text dir}}`. */
export const pageHelpers: Helpers = {
  ...directionHelpers,
  isolate: (text: unknown, dir: unknown) =>
    new Handlebars.SafeString(isolateRuns(String(text ?? ''), dir === 'ltr' ? 'ltr' : 'rtl')),
  json: (value: unknown) => new Handlebars.SafeString(scriptJson(value)),
};
