import { Readable } from 'node:stream';

/**
 * Bytes gathered into one chunk before it is passed on: a message comes
 * from nodemailer in dozens of small pieces (headers, boundaries, encoded
 * lines), and each piece passed on alone is a write to the socket (about 11
 * an email; each costs the loopback or network stack far more than copying
 * the bytes together).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * The last stage of an outgoing message's stream: it passes the message on
 * in chunks of up to {@link CHUNK_BYTES} (what nodemailer composed, gathered),
 * only when the SMTP connection asks for more (`highWaterMark: 0`), and when
 * the connection asks after the last chunk, calls `onHandedOver` before it
 * ends. Only the end of this stream makes nodemailer write the final `.`
 * that completes the message, so whatever `onHandedOver` does synchronously
 * (a committed database write) happens after the server has every byte but
 * the dot, and before it can accept it.
 *
 * If `onHandedOver` throws, the stream fails instead of ending: the dot is
 * never written, nodemailer drops the connection, and the server discards
 * the incomplete message.
 *
 * @param input        The message as nodemailer composed (and signed) it.
 * @param onHandedOver Called once, synchronously, just before the end.
 */
export function handOverStream(input: Readable, onHandedOver: () => void): Readable {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let inputDone = false;
  const gather = async (): Promise<Buffer[]> => {
    const parts: Buffer[] = [];
    let size = 0;
    while (!inputDone && size < CHUNK_BYTES) {
      const { done, value } = await chunks.next();
      if (done) inputDone = true;
      else {
        parts.push(value);
        size += value.length;
      }
    }
    return parts;
  };
  return new Readable({
    highWaterMark: 0,
    read() {
      gather().then(
        (parts) => {
          if (parts.length > 0) {
            this.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
            return;
          }
          try {
            onHandedOver();
          } catch (error) {
            this.destroy(error as Error);
            return;
          }
          this.push(null);
        },
        (error: Error) => this.destroy(error),
      );
    },
    destroy(error, callback) {
      input.destroy();
      callback(error);
    },
  });
}
