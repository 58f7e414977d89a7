import { portIsFree } from '../../lib/local-api.mjs'

/** The first port from `start` that 127.0.0.1 can bind now, skipping ones already handed out. */
const taken = new Set()

export async function freePort(start) {
  for (let port = start; port < start + 200; port++) {
    if (taken.has(port) || !(await portIsFree(port, '127.0.0.1'))) continue
    taken.add(port)
    return port
  }
  throw new Error(`no free port in ${start}..${start + 199}`)
}
