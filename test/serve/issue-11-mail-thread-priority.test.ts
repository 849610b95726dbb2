import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../src/system/thread-priority.js';
import { startServeSite } from './serve-site.js';

/** The nice value of each thread of this process, by thread id (Linux's /proc; field 19 of `stat`). */
function threadNices(): Map<string, number> {
  const nices = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The fields after the command name (in parentheses, which may hold spaces) start at field 3.
      nices.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]));
    } catch {
      // A thread that ended while being listed.
    }
  }
  return nices;
}

const thisThread = () => readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]!;

describe('issue 11: the outbox thread sends at the lowest CPU priority', () => {
  it.runIf(process.platform === 'linux')('runs the email thread at nice 19 while the thread answering readers keeps its own, and the emails still go out', async () => {
    const before = threadNices();
    const site = await startServeSite();
    try {
      const during = threadNices();
      const lowered = [...during].filter(([tid, nice]) => nice === BACKGROUND_NICE && before.get(tid) !== BACKGROUND_NICE);
      expect(lowered).toHaveLength(1);
      expect(during.get(thisThread())).toBe(before.get(thisThread()));
      // Every other thread, old or started with the service (libuv's pool, which a thread started by the lowered one
      // would inherit its priority), kept this one's.
      const normal = during.get(thisThread());
      for (const [tid, nice] of during) if (tid !== lowered[0]![0]) expect(nice, `thread ${tid}`).toBe(before.get(tid) ?? normal);
      expect((await site.subscribe('low@example.com')).status).toBe(200);
      await site.server.settled();
      expect(site.smtp.received.map((message) => message.to[0])).toEqual(['low@example.com']);
    } finally {
      await site.close();
    }
  });
});
