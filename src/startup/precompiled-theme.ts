/** A template of the default theme, compiled by scripts/bundle.mjs. */
export interface PrecompiledTemplate {
  /** The text it was compiled from: it stands in for the file only while the file says exactly this. */
  source: string;
  /** What `Handlebars.precompile` made of it, with the options the theme compiles it with (Handlebars' global type). */
  spec: TemplateSpecification;
}

/**
 * The default theme's templates compiled when sahifa is bundled, by path
 * under `templates/` (`page/partials/head.hbs`): the bundle script replaces
 * this module's empty map with them, so a build of the bundled CLI parses,
 * checks and compiles only a site's own overrides, and the compiled
 * templates are code of the bundle (in its V8 code cache). Unbundled, the
 * theme is compiled at run time as before.
 */
export const PRECOMPILED_THEME: ReadonlyMap<string, PrecompiledTemplate> = new Map();
