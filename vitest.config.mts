import { defineConfig } from 'vitest/config';

/**
 * Vitest runs Better Auth's adapter conformance suites (`npm run test:conformance`); Jest runs
 * everything else. Its files end in `.conformance.ts`, which Jest's `testMatch` does not take.
 */
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.conformance.ts'],
    globalSetup: ['test/conformance/global-setup.ts'],
    environment: 'node',
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
