import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module without types
import { callBase, listenAddress, reachNote } from './listen-address.mjs'

describe('listenAddress (npm start)', () => {
  it('listens on 127.0.0.1 only by default, and PORT changes the port, not the address', () => {
    expect(listenAddress({})).toEqual({ hostname: '127.0.0.1', port: 8787 })
    expect(listenAddress({ PORT: '9000' })).toEqual({ hostname: '127.0.0.1', port: 9000 })
    expect(reachNote(listenAddress({ PORT: '9000' }))).toBe(
      '  Listening   on 127.0.0.1 only: other machines cannot reach it (HOST=0.0.0.0 changes that)',
    )
  })

  it('says so when HOST opens it to the network', () => {
    const open = listenAddress({ HOST: '0.0.0.0', PORT: '9000' })
    expect(open.hostname).toBe('0.0.0.0')
    expect(open.warning).toBe(
      'HOST=0.0.0.0: AutomateOS listens beyond this machine, so anyone who can reach port 9000 ' +
        'can fire the scheduler (/cdn-cgi/handler/scheduled), call webhooks and try the admin ' +
        'token; leave HOST unset to listen on 127.0.0.1 only',
    )
    expect(reachNote(open)).toBe('  Listening   on 0.0.0.0: reachable from other machines (HOST)')
    expect(listenAddress({ HOST: 'localhost' }).warning).toBeUndefined()
    expect(callBase(open)).toBe('http://127.0.0.1:9000')
    expect(callBase(listenAddress({ HOST: '::1' }))).toBe('http://[::1]:8787')
  })

  it('is what start.mjs hands the dev server, which binds to the hostname it is given', () => {
    const start = readFileSync(join(import.meta.dirname, '..', 'start.mjs'), 'utf8')
    expect(start).toContain('listenAddress(process.env)')
    expect(start).toMatch(/startDevServer\(\s*root,\s*\{\s*port,\s*hostname,/)
    const server = readFileSync(join(import.meta.dirname, 'dev-server.mjs'), 'utf8')
    expect(server).toContain("server: { hostname: hostname ?? '127.0.0.1', port }")
  })
})
