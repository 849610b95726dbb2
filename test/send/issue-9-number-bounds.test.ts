import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { NUMBER_RANGES } from '../../src/config/schema.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { sahifa } from '../helpers/cli.js';
import { CONFIG_JSON, copyFixture } from '../helpers/site.js';

/** The one-line reasons a config with `patch` merged in is refused with (empty when accepted). */
function reasonsFor(patch: Record<string, unknown>): string[] {
  const base = JSON.parse(CONFIG_JSON) as Record<string, unknown>;
  const config = { ...base, email: { address: 'ص.ب. 1' }, ...patch };
  try {
    parseConfig(JSON.stringify(config, null, 2), 'sahifa.config.json');
    return [];
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return error.messages.map((message) => String(message.reason));
  }
}

describe('issue 9: every number from the config and the command line has a range', () => {
  const cases: Array<[string, (value: number) => Record<string, unknown>, number[], number[], string]> = [
    ['postsPerPage', (value) => ({ postsPerPage: value }), [0, -1, 1.5, 1001, 1e308], [1, 1000], 'a whole number from 1 to 1000 (posts per page)'],
    ['feedLength', (value) => ({ feedLength: value }), [0, 2.5, 1e9], [1, 20], 'a whole number from 1 to 1000 (posts)'],
    ['wordsPerMinute', (value) => ({ wordsPerMinute: value }), [0, 19, 1e308, 200.5], [20, 2000], 'a whole number from 20 to 2000 (words per minute)'],
    ['email.warnAtKb', (value) => ({ email: { address: 'ص.ب. 1', warnAtKb: value } }), [0, -5, 1e308], [0.5 + 0.5, 102], 'a number from 1 to 10240 (kilobytes)'],
    ['send.rate', (value) => ({ send: { rate: value } }), [1e-7, 0, -1, 1e308], [0.01, 10000], 'a number from 0.01 to 10000 (messages per second)'],
    ['send.concurrency', (value) => ({ send: { concurrency: value } }), [0, 51, 1e9, 2.5], [1, 50], 'a whole number from 1 to 50 (SMTP connections)'],
    ['send.retryDelay', (value) => ({ send: { retryDelay: value } }), [-1, 1e308, 86401], [0, 86400], 'a number from 0 to 86400 (seconds)'],
    ['send.maxAttempts', (value) => ({ send: { maxAttempts: value } }), [0, 21, 1.5, 1e9], [1, 20], 'a whole number from 1 to 20 (attempts)'],
    ['send.timeouts.data', (value) => ({ send: { timeouts: { data: value } } }), [0, 0.01, 1e308], [0.1, 3600], 'a number from 0.1 to 3600 (seconds)'],
    ['send.timeouts.greeting', (value) => ({ send: { timeouts: { greeting: value } } }), [-1, 3601], [30], 'a number from 0.1 to 3600 (seconds)'],
  ];
  it.each(cases)('`%s` is refused outside its range, naming the key and the range', (key, patch, bad, good, range) => {
    for (const value of bad) expect(reasonsFor(patch(value)), `${key}: ${value}`).toEqual([`\`${key}\`: expected ${range}`]);
    for (const value of good) expect(reasonsFor(patch(value)), `${key}: ${value}`).toEqual([]);
  });

  it('refuses a number written as a string, with the range', () => {
    expect(reasonsFor({ send: { rate: '10' } })).toEqual(['`send.rate`: expected a number from 0.01 to 10000 (messages per second)']);
  });

  it('applies the same ranges to --rate and --concurrency, before anything is built or sent', async () => {
    const root = await copyFixture('send-site');
    const env = { SAHIFA_SMTP_URL: 'smtp://127.0.0.1:9', SAHIFA_SECRET: 's' };
    const flags: Array<[string, string, string]> = [
      ['--rate', '1e-7', `a number from ${NUMBER_RANGES.rate.min} to ${NUMBER_RANGES.rate.max} (messages per second)`],
      ['--rate', 'Infinity', 'a number from 0.01 to 10000 (messages per second)'],
      ['--rate', '', 'a number from 0.01 to 10000 (messages per second)'],
      ['--concurrency', '1e9', 'a whole number from 1 to 50 (SMTP connections)'],
      ['--concurrency', '2.5', 'a whole number from 1 to 50 (SMTP connections)'],
      ['--concurrency', '0', 'a whole number from 1 to 50 (SMTP connections)'],
    ];
    for (const [flag, value, range] of flags) {
      const run = await sahifa(['send', 'talks', '--root', root, flag, value], { env });
      expect(run.stderr).toBe(`error: ${flag} expects ${range}, got "${value}"\n`);
      expect(run.status).toBe(1);
    }
  });
});
