import { describe, expect, it } from 'vitest';
import { mjmlThreadPays } from '../../src/render/email/mjml-thread.js';

// The thread's own start costs about as much CPU as loading the bundled mjml: it is started only where it saves time.
describe('issue 13: the mjml thread is started only where it pays', () => {
  it('always when mjml loads from node_modules (0.65–0.8 s of CPU)', () => {
    expect(mjmlThreadPays(false, 0, 2)).toBe(true);
    expect(mjmlThreadPays(false, 12, 2)).toBe(true);
  });

  it('for the bundled mjml, only while the load average leaves a core idle', () => {
    expect(mjmlThreadPays(true, 0.4, 2)).toBe(true);
    expect(mjmlThreadPays(true, 1, 2)).toBe(true);
    expect(mjmlThreadPays(true, 1.3, 2)).toBe(false);
    expect(mjmlThreadPays(true, 5.2, 2)).toBe(false);
    expect(mjmlThreadPays(true, 2.5, 4)).toBe(true);
    // One core runs one thread at a time.
    expect(mjmlThreadPays(true, 0, 1)).toBe(false);
  });
});
