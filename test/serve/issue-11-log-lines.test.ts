import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { lineWriter } from '../../src/serve/log-lines.js';

describe('issue 11: the request log writes the lines of a turn of the event loop at once', () => {
  it('joins the lines of one turn into one write, in order, one line each, and the next turn into another', async () => {
    const writes: string[] = [];
    const log = lineWriter((text) => writes.push(text));
    log.line('POST /subscribe 200 1.2ms');
    log.line('GET /confirm 200 0.8ms');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['POST /subscribe 200 1.2ms\nGET /confirm 200 0.8ms\n']);
    log.line('GET /healthz 200 0.1ms');
    await nextTurn();
    expect(writes).toEqual(['POST /subscribe 200 1.2ms\nGET /confirm 200 0.8ms\n', 'GET /healthz 200 0.1ms\n']);
  });

  it('writes what is gathered at once on flush (before the process exits), and nothing when nothing is gathered', async () => {
    const writes: string[] = [];
    const log = lineWriter((text) => writes.push(text));
    log.flush();
    expect(writes).toEqual([]);
    log.line('POST /unsubscribe 200 2.0ms');
    log.flush();
    expect(writes).toEqual(['POST /unsubscribe 200 2.0ms\n']);
    // The turn's own flush finds nothing left and writes nothing twice.
    await nextTurn();
    expect(writes).toEqual(['POST /unsubscribe 200 2.0ms\n']);
  });
});
