import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/import/summary.js';

describe('issue 12: the summary line of an import', () => {
  it('counts each kind, with thousands separators and plurals', () => {
    expect(summaryLine({ posts: 412, pages: 27, drafts: 3, notImported: { comment: 1204, attachment: 96 } })).toBe('412 posts, 27 pages, 3 drafts; 1,204 comments and 96 attachments not imported');
    expect(summaryLine({ posts: 1, pages: 1, drafts: 1, notImported: { comment: 1, attachment: 0, 'unreadable entry': 2 } })).toBe('1 post, 1 page, 1 draft; 1 comment and 2 unreadable entries not imported');
    expect(summaryLine({ posts: 0, pages: 0, drafts: 0, notImported: {} })).toBe('0 posts, 0 pages, 0 drafts');
    expect(summaryLine({ posts: 2, pages: 0, drafts: 0, notImported: { comment: 3, attachment: 4, 'unreadable entry': 1 } })).toBe('2 posts, 0 pages, 0 drafts; 3 comments, 4 attachments and 1 unreadable entry not imported');
  });
});
