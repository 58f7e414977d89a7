import { describe, expect, it } from 'vitest'
import { readExamples } from './local-api.mjs'
import { credentialsUsed, exampleToLoad, examplesToCreate, tryItExample } from './examples.mjs'

const transform = { id: 'shape', type: 'transform', config: { expression: '$' } }
const notify = (credential: string) => ({
  id: `notify-${credential}`,
  type: 'discord-message',
  config: { credential, content: 'hi' },
})
const example = (name: string, nodes: unknown[], payload?: unknown) => ({
  file: `${name}.json`,
  definition: { name, enabled: true, nodes },
  payload,
})
const offline = example('Offline', [transform], { id: 1 })
const needsTwo = example(
  'Needs two',
  [transform, notify('team'), notify('ops'), notify('team')],
  {},
)
const at = (iso: string) => Date.parse(iso)
const workflow = (name: string, createdAt: string) => ({ name, createdAt })

describe('what npm start does with examples/', () => {
  it('finds the credentials an example names, each once', () => {
    expect(credentialsUsed(needsTwo.definition)).toEqual(['team', 'ops'])
    expect(credentialsUsed(offline.definition)).toEqual([])
  })

  it('creates one that lacks a credential disabled, naming what it lacks', () => {
    expect(exampleToLoad(needsTwo, ['ops'])).toEqual({
      definition: { ...needsTwo.definition, enabled: false },
      missing: ['team'],
    })
    expect(exampleToLoad(needsTwo, ['team', 'ops'])).toEqual({
      definition: needsTwo.definition,
      missing: [],
    })
    expect(exampleToLoad(offline, [])).toEqual({ definition: offline.definition, missing: [] })
  })

  it('loads the examples into a database that had no workflow before this start', () => {
    const startedAt = at('2026-07-01T10:00:00Z')
    expect(examplesToCreate([offline, needsTwo], [], startedAt)).toEqual([offline, needsTwo])
    // One created while the examples loaded (a script that waited for /healthz) does not stop
    // them, and an example whose name it took is not made twice.
    const meanwhile = [
      workflow('Mine', '2026-07-01T10:00:03Z'),
      workflow('Needs two', '2026-07-01T10:00:04Z'),
    ]
    expect(examplesToCreate([offline, needsTwo], meanwhile, startedAt)).toEqual([offline])
    // A database with a workflow from before: the user's, left as it is.
    const before = [workflow('Mine', '2026-07-01T09:59:59.999Z')]
    expect(examplesToCreate([offline, needsTwo], before, startedAt)).toEqual([])
  })

  it('points the curl at the first example that needs no credential and has a sample payload', () => {
    const noPayload = example('No payload', [transform])
    expect(tryItExample([needsTwo, noPayload, offline])).toBe(offline)
    expect(tryItExample([needsTwo, noPayload])).toBeUndefined()
  })

  it('has such an example in examples/, and a sample payload for every example', () => {
    const examples = readExamples(`${import.meta.dirname}/../../examples`, 'http://localhost:8787')
    expect(examples.filter((e: { payload: unknown }) => e.payload === undefined)).toEqual([])
    expect(tryItExample(examples)?.payload).toBeDefined()
  })
})
