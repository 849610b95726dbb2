import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Runs Node with these arguments and returns what it printed, as JSON; it must exit 0 (its standard error is the failure message). */
async function printedJson(args: readonly string[]): Promise<unknown> {
  const run = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(run, 'close')) as [number | null];
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout) as unknown;
}

/**
 * Runs an ES module script in a child Node (`--input-type=module --eval`)
 * and returns what it printed, as JSON.
 *
 * @param script    The module's source.
 * @param nodeFlags Flags for Node before the script (V8 options, say).
 */
export function nodeScriptJson(script: string, nodeFlags: readonly string[] = []): Promise<unknown> {
  return printedJson([...nodeFlags, '--input-type=module', '--eval', script]);
}

/**
 * Runs an ES module script in a child Node from a file of its own (as a
 * command runs, with no flag for an --eval script in `process.execArgv`),
 * and returns what it printed, as JSON.
 *
 * @param script    The module's source.
 * @param nodeFlags Flags for Node before the file.
 */
export async function nodeFileJson(script: string, nodeFlags: readonly string[] = []): Promise<unknown> {
  const folder = await mkdtemp(join(tmpdir(), 'sahifa-node-file-'));
  try {
    const file = join(folder, 'script.mjs');
    await writeFile(file, script);
    return await printedJson([...nodeFlags, file]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
