import { describe, expect, it } from 'vitest'
import { workflowSchema } from '../src/workflow/definition'
// @ts-expect-error: a plain .mjs module without types (what npm start decides about examples)
import { credentialsUsed, tryItExample } from '../scripts/lib/examples.mjs'
import { createWorkflow, postAndWait } from './helpers'

// The examples npm start loads: they must stay valid as nodes change.
const examples = import.meta.glob<{ default: Record<string, unknown> }>('../examples/*.json', {
  eager: true,
})
const payloads = import.meta.glob<{ default: unknown }>('../examples/payloads/*.json', {
  eager: true,
})
const payloadPath = (path: string) => path.replace('../examples/', '../examples/payloads/')

describe('examples/', () => {
  it('has examples', () => {
    expect(Object.keys(examples).length).toBeGreaterThan(0)
  })

  it('has a sample payload for every example, and none for an example that is not there', () => {
    expect(Object.keys(payloads).sort()).toEqual(Object.keys(examples).map(payloadPath).sort())
  })

  it('has an example for the curl npm start prints: one that needs no credential', () => {
    const listed = Object.entries(examples)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, module]) => ({
        file: path.slice('../examples/'.length),
        definition: module.default,
        payload: payloads[payloadPath(path)]?.default,
      }))
    const example = tryItExample(listed)
    expect(example).toBeDefined()
    expect(credentialsUsed(example.definition)).toEqual([])
  })

  for (const [path, module] of Object.entries(examples)) {
    it(`${path} is a valid workflow`, () => {
      const parsed = workflowSchema.safeParse(module.default)
      expect(parsed.error?.issues ?? []).toEqual([])
    })

    // One that names a credential is loaded disabled by npm start until the credential exists;
    // every other one must run here as it does on a new user's machine, offline.
    if (credentialsUsed(module.default).length > 0) continue
    it(`${path} succeeds on its sample payload`, async () => {
      const workflow = await createWorkflow(module.default)
      const run = await postAndWait(workflow, payloads[payloadPath(path)]!.default)
      expect(run.error).toBeNull()
      expect(run.status).toBe('succeeded')
      expect(run.steps.every((s) => s.status === 'succeeded')).toBe(true)
    })
  }
})
