/**
 * The service's emails from a stencil: each kind is rendered once (templates
 * and mjml) with markers in place of the recipient and the link, and each
 * email fills the markers in, escaped as the templates escape them (HTML in
 * the HTML part, as is in the plain text). A stencil is kept only when it
 * gives, for hostile probe values, exactly what a full render gives; a site
 * template that does anything else with those values (isolating the
 * preheader's runs, say) keeps the full render for every email.
 */
import Handlebars from 'handlebars';
import { randomBytes } from 'node:crypto';

/** What differs between two emails of one kind. */
type Slot = 'to' | 'link';

/** An email's body and subject, as the renderer gives them. */
export interface RenderedBody {
  html: string;
  text: string;
  subject: string;
}

/** One kind's email with its recipient and link left open. */
export interface Stencil {
  /** Literal text and slots, alternating, of the HTML part. */
  html: ReadonlyArray<string | Slot>;
  /** The same for the plain-text part. */
  text: ReadonlyArray<string | Slot>;
  subject: string;
}

/** Values a probe fills in: the characters HTML escaping touches, a right-to-left address, a query string. */
const PROBES: ReadonlyArray<Record<Slot, string>> = [
  { to: `o'brien+"x"&y=z\`@example.com`, link: `https://example.org/c?token=a&b='"<>=\`#x` },
  { to: 'قارئ@example.com', link: 'https://example.org/c?t=%D9%82' },
];

/** Cuts a rendered text at the markers, keeping which slot each was. */
function cut(rendered: string, markers: Record<Slot, string>): Array<string | Slot> {
  const pieces = rendered.split(new RegExp(`(${markers.to}|${markers.link})`));
  return pieces.map((piece, index) => (index % 2 === 0 ? piece : piece === markers.to ? 'to' : 'link'));
}

/**
 * Fills a stencil in.
 *
 * @param stencil The kind's stencil.
 * @param values  The recipient's address and the link, unescaped.
 */
export function fillStencil(stencil: Stencil, values: Record<Slot, string>): RenderedBody {
  const escaped = { to: Handlebars.escapeExpression(values.to), link: Handlebars.escapeExpression(values.link) };
  const join = (pieces: ReadonlyArray<string | Slot>, filled: Record<Slot, string>) => {
    let out = '';
    for (let index = 0; index < pieces.length; index += 1) out += index % 2 === 0 ? pieces[index] : filled[pieces[index] as Slot];
    return out;
  };
  return { html: join(stencil.html, escaped), text: join(stencil.text, values), subject: stencil.subject };
}

/**
 * Makes the stencil of one kind of email, or `undefined` when the templates
 * do not treat the recipient and the link as plain values (then every email
 * is rendered whole).
 *
 * @param render Renders the kind's email in full for a recipient and a link.
 */
export async function makeStencil(render: (values: Record<Slot, string>) => Promise<RenderedBody>): Promise<Stencil | undefined> {
  // Letters and digits only: no escaping, isolation or mjml pass changes them, and no site text holds them by chance.
  const mark = `sahifa${randomBytes(8).toString('hex')}`;
  const markers = { to: `${mark}to`, link: `${mark}link` };
  const marked = await render(markers);
  const stencil: Stencil = { html: cut(marked.html, markers), text: cut(marked.text, markers), subject: marked.subject };
  for (const probe of PROBES) {
    const full = await render(probe);
    const filled = fillStencil(stencil, probe);
    if (filled.html !== full.html || filled.text !== full.text || filled.subject !== full.subject) return undefined;
  }
  return stencil;
}
