/**
 * Slows down guessing of the admin token: a client (by its address) that sends
 * FAILURES_ALLOWED wrong tokens within WINDOW_MS is refused, right token or not, until the
 * window ends. The memory is per isolate and bounded: past MAX_CLIENTS the oldest entry goes.
 * An attacker with many addresses or isolates gets further, but the token's 32+ random
 * characters are what make guessing hopeless; this keeps the logs and the CPU quiet.
 */
export const FAILURES_ALLOWED = 10
export const WINDOW_MS = 60_000
const MAX_CLIENTS = 5_000

type Entry = { failures: number; windowStart: number }
const clients = new Map<string, Entry>()

/** Cloudflare sets CF-Connecting-IP and overwrites a client's own; locally it is absent. */
export function clientOf(request: Request): string {
  return request.headers.get('cf-connecting-ip') ?? 'local'
}

/** Milliseconds until this client may try again, or 0 when it may now. */
export function throttledFor(client: string, now = Date.now()): number {
  const entry = clients.get(client)
  if (!entry) return 0
  const ends = entry.windowStart + WINDOW_MS
  if (now >= ends) {
    clients.delete(client)
    return 0
  }
  return entry.failures >= FAILURES_ALLOWED ? ends - now : 0
}

export function recordFailure(client: string, now = Date.now()) {
  const entry = clients.get(client)
  if (entry && now < entry.windowStart + WINDOW_MS) {
    entry.failures++
    return
  }
  clients.delete(client)
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string)
  clients.set(client, { failures: 1, windowStart: now })
}

/** For tests: how many clients are remembered. */
export function rememberedClients() {
  return clients.size
}
