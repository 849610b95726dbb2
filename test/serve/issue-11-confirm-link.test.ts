import { describe, expect, it } from 'vitest';
import { confirmLink } from '../../src/serve/confirm-link.js';
import { readConfirmToken } from '../../src/serve/tokens.js';

const secret = 'a secret of at least thirty-two bytes, for the test';

describe('issue 11: confirmation links made from a base kept per public address', () => {
  it('gives the href URLSearchParams would give, for addresses with paths, escapes, queries and non-ASCII hosts, and the token opens', () => {
    const claim = { address: "o'brien+x@example.com", nonce: 'AAAAAZ-abc_def', expires: 1_900_000_000 };
    for (const publicUrl of ['https://example.org/', 'https://example.org/news/', 'http://127.0.0.1:8025/', 'https://example.org/a%20b/?q=1#f', 'https://مجلة.example/خدمة/', 'https://example.org/news']) {
      for (let round = 0; round < 2; round += 1) {
        const link = confirmLink({ secret, publicUrl }, claim);
        const token = new URL(link).searchParams.get('token')!;
        const expected = new URL('confirm', publicUrl);
        expected.searchParams.set('token', token);
        expect(link).toBe(expected.href);
        expect(readConfirmToken(secret, token)).toEqual(claim);
      }
    }
  });
});
