import { createServer } from 'node:net'

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * The first `count` free ports among `candidates`, for a test that starts a server: several
 * checkouts run the suite at once on this machine, and a fixed port made the second one fail.
 */
export async function freePorts(candidates: readonly number[], count: number) {
  const free: number[] = []
  for (const port of candidates) {
    if (await isFree(port)) free.push(port)
    if (free.length === count) return free
  }
  throw new Error(`fewer than ${count} free ports among ${candidates.join(', ')}`)
}
