import { portIsFree } from '../../lib/local-api.mjs'

// Every port the bench listens on (servers, the sink) comes from this range, so it never takes a
// port someone else on the machine was given. BENCH_PORTS=9000-9019 moves it.
const [FIRST, LAST] = (process.env.BENCH_PORTS ?? '8820-8839').split('-').map(Number)
if (!(FIRST > 0 && LAST >= FIRST)) throw new Error('BENCH_PORTS must look like 8820-8839')

/** Ports handed out by this bench run: a server that has not bound its port yet keeps it. */
const taken = new Set()

/** The first port of the range that 127.0.0.1 can bind now and was not handed out before. */
export async function freePort() {
  for (let port = FIRST; port <= LAST; port++) {
    if (taken.has(port) || !(await portIsFree(port, '127.0.0.1'))) continue
    taken.add(port)
    return port
  }
  throw new Error(`no free port in ${FIRST}-${LAST} (BENCH_PORTS)`)
}

/** Gives a port back once its server has stopped, so a long bench run does not use up the range. */
export const releasePort = (port) => taken.delete(port)
