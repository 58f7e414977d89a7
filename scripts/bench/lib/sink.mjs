import { createServer } from 'node:http'
import { freePort, releasePort } from './ports.mjs'

/**
 * The http-request node's target: counts calls per Idempotency-Key, so a step that ran twice
 * shows up as a key seen more than once.
 */
export async function startSink() {
  const seen = new Map()
  let requests = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      requests += 1
      const key = request.headers['idempotency-key'] ?? '(none)'
      seen.set(key, (seen.get(key) ?? 0) + 1)
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  const port = await freePort()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${port}/deliver`,
    stats() {
      const repeats = [...seen.values()].reduce((n, count) => n + count - 1, 0)
      return { requests, keys: seen.size, repeats, keyless: seen.get('(none)') ?? 0, seen }
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(releasePort(port)))
      }),
  }
}
