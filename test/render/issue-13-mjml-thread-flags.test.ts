import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileJson, nodeScriptJson } from '../helpers/node-script.js';
import { REPO } from '../helpers/site.js';

const THREAD = JSON.stringify(join(REPO, 'lib', 'render', 'email', 'mjml-thread.js'));
const SPLICE = JSON.stringify(join(REPO, 'lib', 'render', 'email', 'splice-mjml.js'));

/** Starts the mjml thread in a child Node, compiles a small email on it when there is one, and prints what happened. */
const script = `
  const { startMjmlThread, mjmlThread, mjmlThreadsStarted, stopMjmlThread } = await import(${THREAD});
  const { MJML_OPTIONS } = await import(${SPLICE});
  startMjmlThread();
  const thread = mjmlThread();
  const html = thread ? await thread.compile('<mjml><mj-body><mj-section><mj-column><mj-text>سلام</mj-text></mj-column></mj-section></mj-body></mjml>', MJML_OPTIONS) : '';
  await stopMjmlThread();
  console.log(JSON.stringify({ started: mjmlThreadsStarted(), compiled: html.includes('سلام') }));
`;

// `node --heap-growing-percent=N sahifa build` (the README's way to give a heap factor of one's own) crashed a cold build
// wherever the thread starts: Node refuses a V8 flag in a thread's execArgv list, and the list was always given.
describe('issue 13: the mjml thread under flags given to node', () => {
  it('starts and compiles when node was given a V8 flag (the thread inherits the flags)', async () => {
    expect(await nodeFileJson(script, ['--heap-growing-percent=100'])).toEqual({ started: 1, compiled: true });
  });

  it('starts from an --eval script (whose --input-type flag a file thread cannot take)', async () => {
    expect(await nodeScriptJson(script)).toEqual({ started: 1, compiled: true });
  });

  it('goes on without the thread when Node refuses to start it (an --eval script and a V8 flag), rather than fail', async () => {
    expect(await nodeScriptJson(script, ['--heap-growing-percent=100'])).toEqual({ started: 0, compiled: false });
  });
});
