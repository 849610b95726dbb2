import type { Place } from '../diagnostics/build-failure.js';

/** What Handlebars' parser tokens are, in a writer's words (the useful ones, most useful first). */
const TOKEN_WORDS: ReadonlyArray<[string, string]> = [
  ['CLOSE', '"}}"'],
  ['ID', 'a name'],
  ['CLOSE_UNESCAPED', '"}}}"'],
  ['CLOSE_RAW_BLOCK', '"}}}}"'],
  ['OPEN_BLOCK_PARAMS', '"as |…|"'],
  ['EOF', 'the end of the file'],
];

/** A template syntax error in a writer's words, and where it is. */
export interface TemplateSyntaxProblem {
  reason: string;
  place?: Place;
}

/**
 * Turns a Handlebars parse error into one line that keeps its reason (what
 * was found and what was expected) and its place. Handlebars writes the
 * reason on the third line of a multi-line message, after an excerpt with
 * newlines removed; the column is recovered by finding the excerpt's text
 * in the source line.
 *
 * @param error  What `Handlebars.parse` threw.
 * @param source The template's text.
 */
export function templateSyntaxProblem(error: unknown, source: string): TemplateSyntaxProblem {
  const message = error instanceof Error ? error.message : String(error);
  // Block mismatch: "each doesn't match if - 4:2" (line, 0-based column of the opening block).
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)$/.exec(message);
  if (mismatch) {
    const [, opened, closed, line, column] = mismatch;
    return {
      reason: `{{#${opened}}} is closed by {{/${closed}}}: close each block with its own name ({{/${opened}}})`,
      // Handlebars points at the block's name, after `{{#`.
      place: { line: Number(line), column: Math.max(1, Number(column) - 2) },
    };
  }
  const [head = '', excerpt = '', caret = '', expecting = ''] = message.split('\n');
  const line = Number(/line (\d+)/.exec(head)?.[1] ?? 0);
  const parsed = /^Expecting (.*), got '(\w+)'$/.exec(expecting);
  if (!line || !parsed) return { reason: head.replace(/ - \d+:\d+$/, '') || 'Handlebars cannot read this template' };
  const expected = new Set([...parsed[1]!.matchAll(/'(\w+)'/g)].map((match) => match[1]));
  const got = parsed[2];
  const at = caret.indexOf('^');
  const upcoming = excerpt.slice(at);
  const found = (/^\{\{~?\/[^}]*\}\}/.exec(upcoming)?.[0] ?? upcoming.slice(0, 12)).trim();
  const words = TOKEN_WORDS.filter(([token]) => expected.has(token)).map(([, word]) => word).slice(0, 2);
  const what = got === 'EOF' ? 'the end of the file' : got === 'OPEN_ENDBLOCK' ? `"${found || '{{/'}" with no block open to close` : found ? `"${found}"` : 'this';
  const reason =
    got === 'OPEN_ENDBLOCK'
      ? `${what}: remove it or open the block with {{#…}}`
      : `unexpected ${what}${words.length ? `, where Handlebars expected ${words.join(' or ')}` : ''}; check the {{…}} here`;
  return { reason, place: { line, column: columnOf(source, line, excerpt.slice(0, at)) } };
}

/**
 * The 1-based column where Handlebars stopped on `line`, from the text it
 * had read just before (its excerpt: at most 20 characters, newlines
 * removed, "..." before when cut).
 */
function columnOf(source: string, line: number, before: string): number {
  const text = source.split('\n')[line - 1] ?? '';
  const tail = before.replace(/^\.\.\./, '');
  for (let length = Math.min(tail.length, text.length); length > 0; length -= 1) {
    const part = tail.slice(tail.length - length);
    const index = length === tail.length && before.startsWith('...') ? text.indexOf(part) : text.startsWith(part) ? 0 : -1;
    if (index >= 0) return index + length + 1;
  }
  return 1;
}

/** A partial a template uses, and where. */
export interface PartialUse {
  name: string;
  place: Place;
}

/** A node of a Handlebars syntax tree, as far as the walks below look at it. */
interface AnyNode {
  type?: string;
  name?: { type?: string; original?: unknown };
  path?: { original?: unknown };
  params?: Array<{ type?: string; value?: unknown }>;
  loc?: hbs.AST.SourceLocation;
}

/** Calls `visit` on every node of a syntax tree. */
function walk(node: unknown, visit: (node: AnyNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  visit(node as AnyNode);
  for (const [key, value] of Object.entries(node)) if (key !== 'loc') walk(value, visit);
}

/**
 * The partials a template calls by a fixed name (`{{> footer}}`,
 * `{{#> layout}}`), anywhere in it. Calls by a computed name and
 * `{{> @partial-block}}` are skipped.
 *
 * @param program A parsed template.
 */
export function partialsUsed(program: hbs.AST.Program): PartialUse[] {
  const uses: PartialUse[] = [];
  walk(program, (node) => {
    if ((node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') && node.name?.type === 'PathExpression' && node.loc) {
      const name = String(node.name.original);
      if (!name.startsWith('@')) uses.push({ name, place: { line: node.loc.start.line, column: node.loc.start.column + 1 } });
    }
  });
  return uses;
}

/**
 * The helpers a template calls: `{{name arg}}`, `{{#name arg}}`,
 * `(name arg)`, each with at least one argument (without one, `{{name}}` is
 * a value lookup, not a call).
 *
 * @param program A parsed template.
 */
export function helperCalls(program: hbs.AST.Program): PartialUse[] {
  const calls: PartialUse[] = [];
  walk(program, (node) => {
    if (node.type !== 'MustacheStatement' && node.type !== 'BlockStatement' && node.type !== 'SubExpression') return;
    const path = node.path as { type?: string; parts?: string[]; data?: boolean; depth?: number; original?: unknown } | undefined;
    const call = node as { params?: unknown[]; hash?: unknown };
    const simple = path?.type === 'PathExpression' && !path.data && path.depth === 0 && path.parts?.length === 1;
    if (simple && ((call.params?.length ?? 0) > 0 || call.hash) && node.loc) {
      calls.push({ name: String(path.original), place: { line: node.loc.start.line, column: node.loc.start.column + 1 } });
    }
  });
  return calls;
}

/**
 * Names of the partials a template defines itself with `{{#*inline "name"}}`.
 *
 * @param program A parsed template.
 */
export function inlinePartialNames(program: hbs.AST.Program): string[] {
  const names: string[] = [];
  walk(program, (node) => {
    const [first] = node.params ?? [];
    if (node.type === 'DecoratorBlock' && node.path?.original === 'inline' && first?.type === 'StringLiteral') names.push(String(first.value));
  });
  return names;
}
