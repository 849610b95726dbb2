const NUMBER = new Intl.NumberFormat('en-US');

/** "1 post", "1,204 comments". */
function count(value: number, noun: string): string {
  return `${NUMBER.format(value)} ${value === 1 ? noun : noun.replace(/y$/, 'ie')}${value === 1 ? '' : 's'}`;
}

/** What an import read, by kind. */
export interface ImportCounts {
  posts: number;
  pages: number;
  drafts: number;
  /** Things seen but not imported, by singular noun (`comment`, `attachment`). */
  notImported: Record<string, number>;
}

/**
 * The summary line of an import:
 * "412 posts, 27 pages, 3 drafts; 1,204 comments and 96 attachments not imported".
 *
 * @param counts What was read.
 */
export function summaryLine(counts: ImportCounts): string {
  const imported = `${count(counts.posts, 'post')}, ${count(counts.pages, 'page')}, ${count(counts.drafts, 'draft')}`;
  const left = Object.entries(counts.notImported)
    .filter(([, value]) => value > 0)
    .map(([noun, value]) => count(value, noun));
  if (left.length === 0) return imported;
  const joined = left.length === 1 ? left[0] : `${left.slice(0, -1).join(', ')} and ${left.at(-1)}`;
  return `${imported}; ${joined} not imported`;
}
