#!/usr/bin/env node
// The local server behind `npm start`: what `wrangler dev` runs (the same build, wrangler.toml,
// .dev.vars, local D1 and Queues, reload on change, the /cdn-cgi/handler/scheduled route), started
// through wrangler's own API so that the DevTools inspector can be left off. With it on, every
// D1 call is a fetch the inspector reports to wrangler's Node process, one local connection and
// one debug-log entry each: under a burst of webhooks that piled up thousands of open
// descriptors and gigabytes of log (issue 7 §5). INSPECTOR_PORT=<port> turns it back on.
//
// Usage: node dev-server.mjs '<json options>' (see startDevServer in ./wrangler.mjs). Started with
// an IPC channel, it sends { ready: true } once wrangler says the server is ready.
import { watchFile } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { unstable_startWorker } from 'wrangler'

const {
  port,
  hostname,
  vars = {},
  inspectorPort,
  persistTo,
  config = 'wrangler.toml',
  logLevel,
  watch = true,
  envFiles,
} = JSON.parse(process.argv[2] ?? '{}')

// Miniflare fetches a sample `request.cf` from workers.cloudflare.com at start, and offline prints
// the DNS failure's stack trace twice. The Worker never reads request.cf, so the placeholder will
// do; CLOUDFLARE_CF_FETCH_ENABLED=true brings the fetch back.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

const input = {
  config,
  // Secrets from these files instead of .dev.vars (the tests' throw-away admin token and key).
  ...(envFiles ? { envFiles } : {}),
  bindings: Object.fromEntries(
    Object.entries(vars).map(([name, value]) => [name, { type: 'plain_text', value }]),
  ),
  dev: {
    // Loopback unless asked: /cdn-cgi/handler/scheduled fires the scheduler for any caller.
    server: { hostname: hostname ?? '127.0.0.1', port },
    inspector: inspectorPort ? { hostname: '127.0.0.1', port: inspectorPort } : false,
    testScheduled: true,
    watch,
    ...(persistTo ? { persist: persistTo } : {}),
    ...(logLevel ? { logLevel } : {}),
  },
}
const worker = await unstable_startWorker(input)
await worker.ready
// wrangler's own ready signal, for a parent that started this with an IPC channel: the server
// listens now (requests wait in its proxy until the Worker has loaded), so the parent need not poll
// with short timeouts that a loaded machine outlasts.
process.send?.({ ready: true })

// wrangler reloads on a change to the code or wrangler.toml, not to .dev.vars: watched here, so a
// secret added there (`npm run rotate-key` adds a key) is picked up without a restart.
if (watch) {
  const devVars = join(dirname(resolve(config)), '.dev.vars')
  watchFile(devVars, { interval: 1000 }, () => {
    worker.setConfig(input).catch((error) => console.error(`dev-server: ${error.message}`))
  })
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) process.exit(1)
    stopping = true
    // Bounded: a stuck dispose must not keep the port; exiting still stops workerd.
    const timeout = new Promise((resolve) => setTimeout(resolve, 5_000).unref())
    await Promise.race([worker.dispose().catch(() => {}), timeout])
    process.exit(0)
  })
}
