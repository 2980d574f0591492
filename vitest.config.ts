import { defineConfig } from 'vitest/config';

// One runner for every project: each lib/app keeps its tests beside its code (`*.test.ts`).
export default defineConfig({
  test: {
    include: ['{libs,apps,tools}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    // One real kube-apiserver for the whole run, started only when a test asks for it
    // (tools/kube-env/README.md).
    globalSetup: ['tools/kube-env/src/vitest-global-setup.ts'],
    setupFiles: ['vitest.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
