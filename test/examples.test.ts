import { describe, expect, it } from 'vitest'
import { workflowSchema } from '../src/workflow/definition'
import { createWorkflow, postAndWait } from './helpers'

// The examples npm start loads: they must stay valid as nodes change.
const examples = import.meta.glob<{ default: Record<string, unknown> }>('../examples/*.json', {
  eager: true,
})
const payloads = import.meta.glob<{ default: unknown }>('../examples/payloads/*.json', {
  eager: true,
})

describe('examples/', () => {
  it('has examples', () => {
    expect(Object.keys(examples).length).toBeGreaterThan(0)
  })

  for (const [path, module] of Object.entries(examples)) {
    it(`${path} is a valid workflow`, () => {
      const parsed = workflowSchema.safeParse(module.default)
      expect(parsed.error?.issues ?? []).toEqual([])
    })

    const payload = payloads[path.replace('../examples/', '../examples/payloads/')]
    if (!payload) continue
    it(`${path} succeeds on its sample payload`, async () => {
      const workflow = await createWorkflow(module.default)
      const run = await postAndWait(workflow, payload.default)
      expect(run.error).toBeNull()
      expect(run.status).toBe('succeeded')
      expect(run.steps.every((s) => s.status === 'succeeded')).toBe(true)
    })
  }
})
