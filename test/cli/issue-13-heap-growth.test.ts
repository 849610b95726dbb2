import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeScriptJson } from '../helpers/node-script.js';
import { REPO } from '../helpers/site.js';

const HEAP_GROWTH = pathToFileURL(join(REPO, 'lib', 'startup', 'heap-growth.js')).href;

/**
 * A child Node that keeps about 64 MiB alive and then allocates 512 MiB that
 * lives long enough to reach the old generation (a ring of 32 arrays of
 * about a MiB, as a build's posts pass through), and prints the largest
 * heap V8 kept meanwhile, in MiB.
 */
function largestHeap(options: { limited: boolean; nodeFlags?: string[] }): Promise<{ maxMiB: number; set: boolean | null }> {
  const script = `
    import v8 from 'node:v8';
    const set = ${options.limited} ? (await import(${JSON.stringify(HEAP_GROWTH)})).limitHeapGrowth() : null;
    const live = Array.from({ length: 64 }, (_, i) => Array.from({ length: 1 << 15 }, (_, j) => ({ i, j })));
    const ring = new Array(32);
    let max = 0;
    for (let n = 0; n < 512; n++) {
      ring[n % 32] = Array.from({ length: 1 << 15 }, (_, j) => ({ n, j }));
      max = Math.max(max, v8.getHeapStatistics().total_heap_size);
    }
    console.log(JSON.stringify({ maxMiB: Math.round(max / 1048576), set, live: live.length }));`;
  return nodeScriptJson(script, options.nodeFlags) as Promise<{ maxMiB: number; set: boolean | null }>;
}

describe('issue 13: the CLI keeps V8 from growing its heap far past what is alive', () => {
  it('holds the heap of a long allocation within a fraction of what V8 keeps by default', async () => {
    const unlimited = await largestHeap({ limited: false });
    const limited = await largestHeap({ limited: true });
    expect(limited.set).toBe(true);
    // About 240 MiB against 660 on the machine this was written on; V8's own factor varies with its speed.
    expect(limited.maxMiB).toBeLessThan(unlimited.maxMiB * 0.75);
    expect(limited.maxMiB).toBeLessThan(400);
  });

  it("leaves a growing factor the user gave Node alone", async () => {
    const own = await largestHeap({ limited: true, nodeFlags: ['--heap-growing-percent=300'] });
    expect(own.set).toBe(false);
  });

  it('is the first thing the CLI does, before any module that could read a code cache', async () => {
    const { readFile } = await import('node:fs/promises');
    const entry = await readFile(join(REPO, 'src', 'cli', 'bin.ts'), 'utf8');
    const imports = [...entry.matchAll(/^import\s[^;]*?['"]([^'"]+)['"]/gm)].map((match) => match[1]);
    expect(imports[0]).toBe('./heap-growth-first.js');
  });
});
