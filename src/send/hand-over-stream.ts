import { Readable } from 'node:stream';

/**
 * The last stage of an outgoing message's stream: it passes the message on
 * one chunk at a time, only when the SMTP connection asks for more
 * (`highWaterMark: 0`), and when the connection asks after the last chunk,
 * calls `onHandedOver` before it ends. Only the end of this stream makes
 * nodemailer write the final `.` that completes the message, so whatever
 * `onHandedOver` does synchronously (a committed database write) happens
 * after the server has every byte but the dot, and before it can accept it.
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
  return new Readable({
    highWaterMark: 0,
    read() {
      chunks.next().then(
        ({ done, value }) => {
          if (!done) {
            this.push(value);
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
