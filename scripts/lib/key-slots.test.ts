import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module without types
import * as slots from './key-slots.mjs'
import { KEY_SLOT as WORKER_KEY_SLOT } from '../../src/credentials/keyring'

const { KEY_SLOT, keySlots, planRotation, removalBlocker, varNames, withVar, withoutVars } = slots

describe('key slots (npm run rotate-key)', () => {
  it('names the same slots as the Worker does', () => {
    expect(KEY_SLOT.source).toBe(WORKER_KEY_SLOT.source)
    expect(
      keySlots(['ADMIN_TOKEN', 'ENCRYPTION_KEY_2', 'ENCRYPTION_KEY', 'ENCRYPTION_KEY_10']),
    ).toEqual(['ENCRYPTION_KEY_10', 'ENCRYPTION_KEY_2', 'ENCRYPTION_KEY'])
    expect(keySlots(['ENCRYPTION_KEY_1', 'ENCRYPTION_KEY_PREVIOUS', 'ENCRYPTION_KEY_02'])).toEqual(
      [],
    )
  })

  it('starts a rotation into the next slot, continues an unfinished one, refuses with no key', () => {
    expect(planRotation(['ADMIN_TOKEN', 'ENCRYPTION_KEY'])).toEqual({
      action: 'start',
      newSlot: 'ENCRYPTION_KEY_2',
      old: ['ENCRYPTION_KEY'],
    })
    expect(planRotation(['ENCRYPTION_KEY_2'])).toEqual({
      action: 'start',
      newSlot: 'ENCRYPTION_KEY_3',
      old: ['ENCRYPTION_KEY_2'],
    })
    expect(planRotation(['ENCRYPTION_KEY', 'ENCRYPTION_KEY_2'])).toEqual({
      action: 'continue',
      newSlot: 'ENCRYPTION_KEY_2',
      old: ['ENCRYPTION_KEY'],
    })
    expect(planRotation(['ADMIN_TOKEN'])).toEqual({ action: 'refuse' })
  })

  it('removes old slots only once the Worker uses the newest and no credential is left behind', () => {
    const current = { slot: 'ENCRYPTION_KEY_2', keyId: 'new' }
    const both = ['ENCRYPTION_KEY', 'ENCRYPTION_KEY_2']
    const status = (credentials: object[], cur = current) => ({ current: cur, credentials })
    expect(
      removalBlocker(both, status([{ keyId: 'new', slot: 'ENCRYPTION_KEY_2', count: 3 }])),
    ).toBe(undefined)
    expect(removalBlocker(both, status([]))).toBe(undefined)
    expect(
      removalBlocker(
        both,
        status([
          { keyId: 'new', slot: 'ENCRYPTION_KEY_2', count: 3 },
          { keyId: 'old', slot: 'ENCRYPTION_KEY', count: 2 },
          { keyId: 'lost', slot: null, count: 1 },
        ]),
      ),
    ).toBe(
      '3 credential(s) are still on key old (ENCRYPTION_KEY), key lost: run npm run rotate-key again first',
    )
    expect(removalBlocker(both, status([], { slot: 'ENCRYPTION_KEY', keyId: 'old' }))).toMatch(
      /still encrypts with ENCRYPTION_KEY, not ENCRYPTION_KEY_2/,
    )
    expect(removalBlocker(['ENCRYPTION_KEY_2'], status([]))).toMatch(/no old key to remove/)
  })

  it('keeps an old slot while unfinished runs make their resume URLs with it', () => {
    const current = { slot: 'ENCRYPTION_KEY_2', keyId: 'new' }
    const both = ['ENCRYPTION_KEY', 'ENCRYPTION_KEY_2']
    const status = (resumingRuns: object[]) => ({ current, credentials: [], resumingRuns })
    expect(
      removalBlocker(both, status([{ keyId: 'new', slot: 'ENCRYPTION_KEY_2', count: 4 }])),
    ).toBe(undefined)
    expect(
      removalBlocker(
        both,
        status([
          { keyId: 'new', slot: 'ENCRYPTION_KEY_2', count: 4 },
          { keyId: 'old', slot: 'ENCRYPTION_KEY', count: 2 },
        ]),
      ),
    ).toBe(
      '2 unfinished run(s) have resume URLs made with key old (ENCRYPTION_KEY): remove it once ' +
        'they have ended (a wait lasts at most 30 days), or cancel them',
    )
  })

  it('reads, adds and removes .dev.vars lines, leaving the others as they were', () => {
    const text = '# local secrets\nADMIN_TOKEN=abc\nexport ENCRYPTION_KEY="k1"\nEMPTY=\nQUOTED=""\n'
    expect(varNames(text)).toEqual(['ADMIN_TOKEN', 'ENCRYPTION_KEY'])
    const added = withVar(text, 'ENCRYPTION_KEY_2', 'k2')
    expect(added).toBe(`${text}ENCRYPTION_KEY_2=k2\n`)
    expect(withVar('A=1', 'B', '2')).toBe('A=1\nB=2\n')
    expect(withoutVars(added, ['ENCRYPTION_KEY'])).toBe(
      '# local secrets\nADMIN_TOKEN=abc\nEMPTY=\nQUOTED=""\nENCRYPTION_KEY_2=k2\n',
    )
  })
})
