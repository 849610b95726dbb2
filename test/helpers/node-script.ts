import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'vitest';

/**
 * Runs an ES module script in a child Node and returns what it printed, as
 * JSON; the child must exit 0 (its standard error is the failure message).
 *
 * @param script    The module's source.
 * @param nodeFlags Flags for Node before the script (V8 options, say).
 */
export async function nodeScriptJson(script: string, nodeFlags: readonly string[] = []): Promise<unknown> {
  const run = spawn(process.execPath, [...nodeFlags, '--input-type=module', '--eval', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(run, 'close')) as [number | null];
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout) as unknown;
}
