/** Whether an imported entry becomes a dated post (`posts/`) or a page (`pages/`). */
export type EntryKind = 'post' | 'page';

/**
 * One post or page read from an export, before it is turned into Markdown.
 * Every field comes from untrusted input; nothing here has been checked yet.
 */
export interface ImportedEntry {
  kind: EntryKind;
  /** Where the entry is in the export, for messages: `export.xml:120:5` or `export.json (post "id")`. */
  place: string;
  title: string;
  /** ISO 8601 date-time; required for posts, unused for pages. */
  date?: string;
  /** The slug the source platform used (already percent-decoded). */
  slug: string;
  /** The body as HTML. */
  html: string;
  description?: string;
  tags: string[];
  /** The featured image's address. */
  image?: string;
  /** The featured image's alt text, when the platform kept one. */
  imageAlt?: string;
  author?: string;
  draft: boolean;
  /**
   * Absolute addresses the entry had on the old site (its permalink, a
   * WordPress `?p=ID`), so links to it from other entries can be pointed at
   * its new page.
   */
  addresses?: string[];
}

/** What a source reader found besides the entries: the things counted, not imported. */
export interface ExportContents {
  entries: ImportedEntry[];
  /** Counts of what was seen but not imported, by noun (`comment`, `attachment`…). */
  notImported: Record<string, number>;
  /** Problems with single entries; they are skipped or repaired. */
  warnings: ImportWarning[];
}

/** A problem with one entry of an export, printed as `place: warning reason`. */
export interface ImportWarning {
  place: string;
  reason: string;
}
