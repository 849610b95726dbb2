import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { handOverStream } from '../../src/send/hand-over-stream.js';

/** Consumes a stream as nodemailer's connection does, recording each chunk and when the hand-over came. */
async function consume(stream: Readable, events: string[]): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      highWaterMark: 0,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        events.push(`chunk ${chunk.length}`);
        done();
      },
    }),
  );
  return chunks;
}

describe('issue 11: a message goes to the SMTP connection in few large writes', () => {
  it('gathers nodemailer\'s small pieces into chunks of up to 64 KiB, bytes unchanged, and calls the hand-over only after the last chunk was taken', async () => {
    for (const [pieces, size] of [
      [300, 61],
      [5000, 97],
      [1, 10],
    ] as const) {
      const parts = Array.from({ length: pieces }, (_, index) => Buffer.alloc(size, 65 + (index % 26)));
      const events: string[] = [];
      const chunks = await consume(
        handOverStream(Readable.from(parts), () => events.push('handed')),
        events,
      );
      expect(Buffer.concat(chunks).equals(Buffer.concat(parts))).toBe(true);
      const total = pieces * size;
      // Every chunk but the last holds at least 64 KiB; there are as few as that allows.
      expect(chunks.length).toBe(Math.max(1, Math.ceil(total / (64 * 1024 + size - 1))));
      for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(events.at(-1)).toBe('handed');
      expect(events.filter((event) => event === 'handed')).toHaveLength(1);
    }
  });

  it('never hands over a message whose source fails, and fails the stream when the hand-over throws', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('part'));
        this.destroy(new Error('source broke'));
      },
    });
    let handed = 0;
    await expect(consume(handOverStream(failing, () => (handed += 1)), [])).rejects.toThrow('source broke');
    expect(handed).toBe(0);
    await expect(
      consume(
        handOverStream(Readable.from([Buffer.from('whole message')]), () => {
          throw new Error('could not record the hand-over');
        }),
        [],
      ),
    ).rejects.toThrow('could not record the hand-over');
  });
});
