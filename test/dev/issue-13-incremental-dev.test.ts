import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev/dev-server.js';
import type { BuildResult } from '../../src/pipeline/build.js';
import { openEvents } from '../helpers/dev.js';
import { copyFixture } from '../helpers/site.js';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('issue 13: sahifa dev rebuilds incrementally', () => {
  it('renders only the edited post again and links the others from the previous build', async () => {
    const root = await copyFixture('cache-site');
    const builds: BuildResult[] = [];
    server = await startDevServer({ root, port: 0, onBuild: (outcome) => outcome.ok && builds.push(outcome.result) });
    expect(builds[0]?.cache).toEqual({ cached: 0, rendered: 4 });
    const dev = join(root, '.sahifa', 'dev');
    const gammaPage = join(dev, 'blog', 'gamma', 'index.html');
    const before = await stat(gammaPage);

    const events = await openEvents(server.url);
    const delta = join(root, 'posts', '2025-01-04-delta.md');
    const rebuilt = events.next((state) => state.build === 2);
    await writeFile(delta, (await readFile(delta, 'utf8')).replace('نص دلتا القصير.', 'نص دلتا بعد التعديل.'));
    await rebuilt;
    events.close();
    expect(builds[1]?.cache).toEqual({ cached: 3, rendered: 1 });
    expect(await (await fetch(new URL('delta/', server.url))).text()).toContain('نص دلتا بعد التعديل.');
    // The same file (inode) carried over: not rewritten.
    const after = await stat(gammaPage);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // A result holds no pages in memory: its files are read from the output when asked for.
    expect(builds[1]?.files).not.toBeInstanceOf(Map);
  });

  it('renders everything on every rebuild with cache: false', async () => {
    const root = await copyFixture('cache-site');
    const builds: BuildResult[] = [];
    server = await startDevServer({ root, port: 0, cache: false, onBuild: (outcome) => outcome.ok && builds.push(outcome.result) });
    const events = await openEvents(server.url);
    const delta = join(root, 'posts', '2025-01-04-delta.md');
    const rebuilt = events.next((state) => state.build === 2);
    await writeFile(delta, (await readFile(delta, 'utf8')).replace('نص دلتا القصير.', 'نص آخر.'));
    await rebuilt;
    events.close();
    expect(builds.map((build) => build.cache)).toEqual([
      { cached: 0, rendered: 4 },
      { cached: 0, rendered: 4 },
    ]);
  });
});
