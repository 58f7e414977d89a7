import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { readdirSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

function fakeUpstreamModules() {
  const dir = './test/fake-upstream'
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'worker.js')
  return ['worker.js', ...files].map((f) => ({ type: 'ESModule' as const, path: `${dir}/${f}` }))
}

// Two projects: the Worker's tests run inside workerd against real local D1 and Queues; the
// tooling tests (registry generator, deploy build) run in Node because they drive the CLI.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations')
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'test-admin-token-of-at-least-32-characters',
                  ENGINE_STEPS_PER_MESSAGE: '40',
                  // A test key only: credentials stored by the tests are encrypted under it.
                  ENCRYPTION_KEY: 'test-encryption-key-0123456789-abcdefghijklmnop',
                  // GitHub's documented example secret, for the signature tests.
                  GITHUB_WEBHOOK_SECRET: "It's a Secret to Everybody",
                  // The key of the RFC 2202 / RFC 4231 HMAC test vectors.
                  RFC_HMAC_SECRET: 'Jefe',
                },
                // Outbound fetches from the Worker go to the fake upstream, never to the network.
                outboundService: 'fake-upstream',
                // The code node's Dynamic Workers (wrangler.toml leaves it out: Workers Paid only).
                workerLoaders: { LOADER: {} },
                workers: [
                  {
                    name: 'fake-upstream',
                    // Today's runtime, as the Worker's: without a date, a request's URL reaches
                    // the fakes re-encoded (%20 as +, ~ as %7E: workerd's legacy URL), and a
                    // multipart body's files parse as text.
                    compatibilityDate: '2026-04-01',
                    // worker.js first (the entry), then the per-API fakes it imports.
                    modules: fakeUpstreamModules(),
                  },
                ],
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['src/**/*.test.ts', 'nodes/**/*.test.ts', 'test/**/*.test.ts'],
            // The browser tests drive Chromium from Node against wrangler dev: tooling, below.
            exclude: ['test/browser/**'],
            setupFiles: ['./test/apply-migrations.ts'],
            // Tests wait for queue deliveries (waitForRun: 15 s; durability: 30 s). The limit sits
            // above the longest of those waits, so on a loaded machine the test's own deadline,
            // with its clear message, fires first, never vitest's 5 s default.
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        {
          test: {
            name: 'tooling',
            environment: 'node',
            include: ['scripts/**/*.test.ts', 'test/browser/**/*.test.ts'],
            testTimeout: 120_000,
          },
        },
      ],
    },
  }
})
