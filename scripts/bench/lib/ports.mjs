import { createServer } from 'node:net'

/** The first port from `start` that 127.0.0.1 can bind now, skipping ones already handed out. */
const taken = new Set()

export async function freePort(start) {
  for (let port = start; port < start + 200; port++) {
    if (taken.has(port) || !(await canListen(port))) continue
    taken.add(port)
    return port
  }
  throw new Error(`no free port in ${start}..${start + 199}`)
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
