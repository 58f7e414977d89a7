import { describe, expect, it } from 'vitest'
import { nodeContext } from '../test/node-context'
import set from './set'

describe('set', () => {
  it('outputs the fields, whatever the input', async () => {
    const fields = { email: 'ada@example.com', total: 12.5, tags: ['vip'] }
    expect(await set.run({ other: 1 }, nodeContext(set, { fields }))).toEqual(fields)
  })

  it('sets the fields on a copy of the input with keepInput', async () => {
    const input = { id: 1, email: 'old@example.com' }
    const output = await set.run(
      input,
      nodeContext(set, { fields: { email: 'new@example.com' }, keepInput: true }),
    )
    expect(output).toEqual({ id: 1, email: 'new@example.com' })
    expect(input.email).toBe('old@example.com')
  })

  it('ignores keepInput when the input is not an object', async () => {
    expect(await set.run([1, 2], nodeContext(set, { fields: { a: 1 }, keepInput: true }))).toEqual({
      a: 1,
    })
  })
})
