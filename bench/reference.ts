import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

const bare = unified().use(remarkParse).use(remarkRehype).use(rehypeStringify).freeze();

/**
 * The benchmark's reference: Markdown to HTML through unified with nothing
 * else, the least any unified-based generator does per post.
 *
 * @param sources Markdown texts.
 */
export async function plainMarkdownToHtml(sources: readonly string[]): Promise<string[]> {
  return Promise.all(sources.map(async (source) => String(await bare.process(source))));
}
