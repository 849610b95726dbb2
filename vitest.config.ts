import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // The pack test installs from the npm registry, which a test here must not need: `npm run test:pack`.
          exclude: ['test/e2e/**', 'test/pack/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll waits for a page to answer (a script, a wasm index, a form post), not a bound on its
          // speed: its default second is too short on a busy machine.
          expect: { poll: { timeout: 60_000 } },
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'pack',
          include: ['test/pack/**/*.test.ts'],
        },
      },
    ],
  },
});
