import type { Scope } from '../../store/api-tokens'

/**
 * The scope each /api route needs, in one table: `read` sees workflows, runs, nodes and
 * credentials' names; `run` starts, replays and resumes runs; `write` creates and edits
 * workflows; `admin` (and ADMIN_TOKEN) may do everything, and alone touches secrets (credentials'
 * data, the encryption key) and tokens. A route missing here fails src/http/api/route-scopes.test.ts,
 * and until it is declared only admin may call it.
 */
export const ROUTE_SCOPES: Record<string, Scope> = {
  'GET /api/nodes': 'read',
  'GET /api/nodes/:type': 'read',
  'GET /api/openapi.json': 'read',
  'GET /api/workflows': 'read',
  'POST /api/workflows': 'write',
  'GET /api/workflows/:id': 'read',
  'PUT /api/workflows/:id': 'write',
  'DELETE /api/workflows/:id': 'write',
  // A draft runs nowhere until published; publishing is a save of it.
  'POST /api/workflows/:id/publish': 'write',
  'DELETE /api/workflows/:id/draft': 'write',
  'POST /api/workflows/:id/runs': 'run',
  // Fills templates against a sample; runs nothing.
  'POST /api/workflows/preview': 'read',
  'GET /api/workflows/:id/sample': 'read',
  'PUT /api/workflows/:id/sample': 'write',
  // Runs one node of a definition the caller may send unsaved: as much as saving and running it.
  'POST /api/workflows/:id/test-step': 'write',
  // Verdicts only (status, redacted error, duration): what a run list shows of a run.
  'GET /api/workflows/:id/step-tests': 'read',
  'POST /api/workflows/:id/rotate-token': 'write',
  'GET /api/workflows/:id/memory': 'read',
  'DELETE /api/workflows/:id/memory': 'write',
  'DELETE /api/workflows/:id/memory/:key': 'write',
  // Notion's verification token signs its deliveries: a secret, as a credential's data is.
  'GET /api/workflows/:id/notion-verification': 'admin',
  'GET /api/workflows/:id/poll': 'read',
  // A poll starts a run for each new item.
  'POST /api/workflows/:id/poll': 'run',
  'POST /api/workflows/:id/poll/reset': 'write',
  'GET /api/triggers': 'read',
  'GET /api/runs': 'read',
  'GET /api/runs/:id': 'read',
  'POST /api/runs/:id/replay': 'run',
  'POST /api/runs/:id/resume': 'run',
  'GET /api/credentials': 'read',
  'POST /api/credentials': 'admin',
  'GET /api/credentials/:name': 'read',
  'PUT /api/credentials/:name': 'admin',
  'DELETE /api/credentials/:name': 'admin',
  // Connecting stores tokens in the credential; disconnecting revokes them.
  'POST /api/credentials/:name/connect': 'admin',
  'GET /api/credentials/:name/connection': 'read',
  'DELETE /api/credentials/:name/connection': 'admin',
  'GET /api/encryption-key': 'admin',
  'POST /api/encryption-key/re-encrypt': 'admin',
  'GET /api/tokens': 'admin',
  'POST /api/tokens': 'admin',
  'DELETE /api/tokens/:id': 'admin',
}

const PATTERNS = Object.entries(ROUTE_SCOPES).map(([route, scope]) => {
  const [method, path] = route.split(' ') as [string, string]
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return { method, pattern: new RegExp(`^${source}$`), scope }
})

/** The scope a request needs; a route nobody declared needs admin. HEAD is GET's. */
export function scopeFor(method: string, path: string): Scope {
  const asked = method === 'HEAD' ? 'GET' : method
  const found = PATTERNS.find((p) => p.method === asked && p.pattern.test(path))
  return found?.scope ?? 'admin'
}
