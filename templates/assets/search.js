/* sahifa: the search page (search/index.html).
 *
 * Loads Pagefind's search (../pagefind/pagefind.js, written by the build, and the other parts of
 * the index that ../pagefind/parts.json lists) only when this page
 * runs, shows the form that the page hides from browsers without JavaScript, and lists the posts
 * that match as the reader types. The query goes through the same normalisation table as the
 * indexed text (written into the page as JSON by the build, from src/search/normalize.ts), so
 * "المدرسه" finds "المدرسة" and "يك" finds "یک". Results are written with textContent, never as
 * HTML, in each post's own language and direction. No inline code and no eval: it runs under
 * `script-src 'self' 'wasm-unsafe-eval'` (Pagefind compiles WebAssembly). `?q=` in the address
 * searches at once, so a search can be linked to.
 */

const form = document.querySelector('form[data-search]');
const input = document.getElementById('search-query');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const fallback = document.querySelector('[data-search-fallback]');
const table = document.getElementById('search-normalization');

/** The blog's root, from this script's own address (assets/search.js). */
const root = new URL('../', import.meta.url);

/** How many results are shown. */
const LIMIT = 30;

const rules = JSON.parse(table ? table.textContent || '[]' : '[]').map((rule) => [new RegExp(rule.pattern, 'gu'), rule.replacement]);

/** The query as the index spells words (see src/search/normalize.ts). */
function normalize(text) {
  let result = text.normalize('NFKC');
  for (const [pattern, replacement] of rules) result = result.replace(pattern, replacement);
  return result.trim();
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function say(text) {
  status.textContent = text;
}

function paragraph(className, content) {
  const element = document.createElement('p');
  element.className = className;
  element.append(content);
  return element;
}

/** One result, shaped like a post card of the home page. */
function card(data) {
  const meta = data.meta || {};
  const item = document.createElement('li');
  item.className = 'post-card';
  if (meta.lang) item.lang = meta.lang;
  if (meta.dir) item.dir = meta.dir;
  const heading = document.createElement('h2');
  heading.className = 'post-card-title';
  const link = document.createElement('a');
  link.href = new URL(data.url, root).href;
  link.textContent = meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (meta.date) {
    const time = document.createElement('time');
    time.dateTime = meta.date;
    time.textContent = meta.dateText || meta.date;
    item.append(paragraph('post-meta', time));
  }
  if (meta.summary) item.append(paragraph('post-card-summary', meta.summary));
  return item;
}

let pagefind;
let latest = 0;

/**
 * Pagefind, with every part of the index merged into the first: a large
 * site's index is cut into parts (pagefind/1/, pagefind/2/, …, listed in
 * pagefind/parts.json) so that an edit re-indexes one part only.
 */
async function loadPagefind() {
  const base = new URL('pagefind/', root);
  const loaded = await import(new URL('pagefind.js', base).href);
  // Asked of the server each time, as Pagefind asks for its own entry file: a list kept from before a rebuild names parts that moved.
  const listed = await fetch(new URL('parts.json', base), { cache: 'no-cache' }).then((answer) => (answer.ok ? answer.json() : []));
  const parts = Array.isArray(listed) ? listed.filter((part) => typeof part === 'string' && /^\d+\/$/.test(part)) : [];
  if (parts.length) {
    await loaded.init();
    await Promise.all(parts.map((part) => loaded.mergeIndex(new URL(part, base).href)));
  }
  return loaded;
}

async function search(query) {
  const ticket = ++latest;
  const words = normalize(query);
  if (!words) {
    list.replaceChildren();
    say('');
    return;
  }
  try {
    // A failed load is tried again at the next search, not kept.
    pagefind ??= loadPagefind().catch((error) => {
      pagefind = undefined;
      throw error;
    });
    const found = await (await pagefind).search(words);
    const data = await Promise.all(found.results.slice(0, LIMIT).map((result) => result.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...data.map(card));
    say(data.length ? fill(form.dataset.count, { n: found.results.length }) : fill(form.dataset.none, { query }));
  } catch {
    if (ticket === latest) say(form.dataset.failed);
  }
}

if (form && input && status && list) {
  form.hidden = false;
  if (fallback) fallback.hidden = true;
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 200);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const address = new URL(location.href);
    address.searchParams.set('q', input.value);
    history.replaceState(null, '', address);
    search(input.value);
  });
  const initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    search(initial);
  }
}
