import { stringify } from 'yaml';
import { starterText } from './starter-text.js';

/** What a new site is made from. */
export interface SiteChoices {
  /** Canonical BCP 47 tag of the site. */
  lang: string;
  /** The site's name (default: the starter text's, in the site's language). */
  title?: string;
  /** Public address of the built blog, with its trailing slash. */
  url: string;
  /** The day of the first post, `YYYY-MM-DD`. */
  today: string;
  /** The npm package name of the site. */
  name: string;
  /** How the site depends on sahifa (see install-spec.ts). */
  sahifaSpec: string;
}

/**
 * Install scripts a site installing sahifa must allow (npm's `allowScripts`,
 * enforced from npm 12): better-sqlite3 compiles its binding when installed;
 * esbuild's postinstall sets up its platform binary (for a git install of
 * sahifa, whose build tools include it); sahifa runs
 * `prepare` (the TypeScript compile) when installed from a git URL.
 */
export const SITE_ALLOW_SCRIPTS: Readonly<Record<string, boolean>> = { 'better-sqlite3': true, esbuild: true, sahifa: true };

/** The npm scripts of a new site. */
export const SITE_SCRIPTS: Readonly<Record<string, string>> = {
  build: 'sahifa build',
  dev: 'sahifa dev',
  send: 'sahifa send',
  publish: 'sahifa publish',
};

/** Lines of a new site's `.gitignore`. */
const GITIGNORE = ['dist/', '.sahifa/', 'node_modules/'];

/**
 * Every file of a new site, by path relative to its folder: the
 * configuration, a first post and an About page in the site's language, the
 * `.gitignore`, `package.json` and a GitHub Pages workflow.
 *
 * @param choices Language, title, address and the sahifa dependency.
 */
export function siteFiles(choices: SiteChoices): Map<string, string> {
  const text = starterText(choices.lang);
  const config = {
    title: choices.title ?? text.siteTitle,
    url: choices.url,
    lang: choices.lang,
    description: text.siteDescription,
    timeZone: 'UTC',
    nav: [{ page: 'about' }],
    subscribe: { action: new URL('subscribe', choices.url).href, method: 'post', field: 'email' },
  };
  return new Map([
    ['sahifa.config.json', `${JSON.stringify(config, null, 2)}\n`],
    [`posts/${choices.today}-welcome.md`, markdown({ title: text.postTitle, date: choices.today }, text.postBody)],
    ['pages/about.md', markdown({ title: text.aboutTitle }, text.aboutBody)],
    ['.gitignore', `${GITIGNORE.join('\n')}\n`],
    ['package.json', `${JSON.stringify(sitePackage(choices.name, choices.sahifaSpec), null, 2)}\n`],
    ['.github/workflows/publish.yml', PAGES_WORKFLOW],
  ]);
}

/**
 * A new site's `package.json`: private, with the scripts, sahifa as its
 * dependency and the install-script approvals.
 *
 * @param name       The package name.
 * @param sahifaSpec The sahifa dependency spec.
 */
export function sitePackage(name: string, sahifaSpec: string): Record<string, unknown> {
  return {
    name,
    private: true,
    scripts: { ...SITE_SCRIPTS },
    dependencies: { sahifa: sahifaSpec },
    engines: { node: '>=20.19' },
    allowScripts: { ...SITE_ALLOW_SCRIPTS },
  };
}

function markdown(frontMatter: Record<string, string>, body: string): string {
  return `---\n${stringify(frontMatter, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' })}---\n\n${body}\n`;
}

/** Builds on every push to main and publishes `dist/blog` with GitHub's own Pages actions. */
const PAGES_WORKFLOW = `# Builds the site and publishes dist/blog to GitHub Pages on every push to main.
# In the repository's Settings → Pages, choose "GitHub Actions" as the source.
# package.json must depend on sahifa by a git URL (a file: path exists only on your machine),
# and package-lock.json must be committed (npm ci installs exactly what it lists).
name: Publish

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm run build -- --strict
      - uses: actions/upload-pages-artifact@v3
        with:
          path: dist/blog
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`;
