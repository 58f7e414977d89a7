// Where `npm start` listens. Loopback only by default: wrangler dev serves
// /cdn-cgi/handler/scheduled (fires the scheduler) and the admin page to anyone who can reach the
// port, so another machine must not reach it unless someone asks for that with HOST.

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/**
 * `{ hostname, port, warning? }` from the environment: PORT changes the port only, HOST the
 * address; a HOST other than loopback comes with a warning to print.
 */
export function listenAddress(env) {
  const port = Number(env.PORT || 8787)
  const hostname = env.HOST || '127.0.0.1'
  if (LOOPBACK.has(hostname)) return { hostname, port }
  return {
    hostname,
    port,
    warning:
      `HOST=${hostname}: AutomateOS listens beyond this machine, so anyone who can reach port ` +
      `${port} can fire the scheduler (/cdn-cgi/handler/scheduled), call webhooks and try the ` +
      'admin token; leave HOST unset to listen on 127.0.0.1 only',
  }
}

/** The line `npm start` prints about who can reach it. */
export function reachNote({ hostname, warning }) {
  return warning
    ? `  Listening   on ${hostname}: reachable from other machines (HOST)`
    : `  Listening   on ${hostname} only: other machines cannot reach it (HOST=0.0.0.0 changes that)`
}

/** Where this machine reaches the server: a wildcard address is reached on loopback. */
export function callBase({ hostname, port }) {
  const host = ['0.0.0.0', '::', 'localhost'].includes(hostname) ? '127.0.0.1' : hostname
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
