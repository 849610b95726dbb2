import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { CONFIG_JSON } from '../helpers/site.js';

/** The config errors of a site whose only publish target is `target`. */
function errors(target: Record<string, unknown>): string[] {
  const text = JSON.stringify({ ...(JSON.parse(CONFIG_JSON) as Record<string, unknown>), publish: { targets: { site: target } } }, null, 2);
  try {
    parseConfig(text, 'sahifa.config.json');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(BuildFailure);
    return (error as BuildFailure).messages.map((message) => `${message.line}:${message.column} ${String(message.reason)}`);
  }
}

describe('issue 10: every number of a publish target is bounded', () => {
  it('refuses keep outside 2..100, fractions and huge values, at the key', () => {
    for (const type of ['dir', 'rsync']) {
      const place = type === 'dir' ? { path: '/var/www/blog' } : { destination: 'deploy@example.org:/var/www/blog' };
      for (const [keep, message] of [
        [0, 'keep at least 2 releases, so there is one to roll back to'],
        [1, 'keep at least 2 releases'],
        [-5, 'keep at least 2 releases'],
        [101, 'keep at most 100 releases'],
        [1e308, 'keep at most 100 releases'],
        [2.5, 'expected a whole number of releases'],
        ['5', 'expected number'],
      ] as const) {
        const found = errors({ type, ...place, keep });
        expect(found.length, `${type} keep ${keep}`).toBeGreaterThan(0);
        for (const line of found) expect(line).toMatch(/^\d+:\d+ `publish\.targets\.site\.keep`: /);
        expect(found.join('\n')).toContain(message);
      }
      for (const keep of [2, 5, 100]) expect(errors({ type, ...place, keep })).toEqual([]);
    }
  });
});
