import { relative } from 'node:path';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { plural } from './output.js';

/**
 * The one line that names the posts a build left out because their date
 * has not come, or nothing when there are none.
 *
 * @param future The posts left out (`BuildResult.future`): each one's file and front-matter `date`.
 * @param root   The site root, for relative paths.
 */
export function futureNote(future: readonly { path: string; date: string }[], root: string): string {
  if (future.length === 0) return '';
  const named = future.map((post) => `${relative(root, post.path)} (${post.date})`).join(', ');
  return terminalSafe(`Left out ${plural(future.length, 'post')} dated in the future until ${future.length === 1 ? 'its' : 'their'} date (--future includes them): ${named}`) + '\n';
}
