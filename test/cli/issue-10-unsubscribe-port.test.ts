import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';

describe('issue 10: a busy port for the unsubscribe service', () => {
  it('is named in one line with what to do, never a stack trace', async () => {
    const root = await copyFixture('send-site');
    const taken = createServer((socket) => socket.on('error', () => undefined).destroy());
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await sahifa(['unsubscribe-server', '--port', String(port), '--root', root], { env: { SAHIFA_SECRET: 'port-secret' } });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^error: [^\\n]*\\b${port}\\b[^\\n]*--port[^\\n]*\\n$`));
    } finally {
      taken.close();
    }
  });
});
