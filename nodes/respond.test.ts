import { describe, expect, it } from 'vitest'
import { nodeContext } from '../test/node-context'
import respond from './respond'

describe('respond', () => {
  it('outputs the response: 200 and the input by default', async () => {
    expect(await respond.run({ ok: true }, nodeContext(respond, {}))).toEqual({
      status: 200,
      headers: {},
      body: { ok: true },
    })
  })

  it('takes a status, a body and headers', async () => {
    const config = { status: 422, body: { error: 'email missing' }, headers: { 'x-why': 'form' } }
    expect(await respond.run({}, nodeContext(respond, config))).toEqual(config)
  })

  it('refuses a status outside 200-599 and headers the platform sets', () => {
    expect(respond.config.safeParse({ status: 101 }).success).toBe(false)
    expect(respond.config.safeParse({ headers: { 'Content-Length': '5' } }).success).toBe(false)
    expect(respond.config.safeParse({ headers: { 'Set-Cookie': 'session=x' } }).success).toBe(false)
  })
})
