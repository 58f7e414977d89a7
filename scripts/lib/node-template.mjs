// `npm run new-node -- <type>`: what it writes. Pure, so the templates are tested without files.

const TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/** Why `type` cannot be a node type, or undefined when it can. */
export function invalidType(type, existingTypes = []) {
  if (!type) return 'give the node type, e.g. npm run new-node -- slack-reaction'
  if (!TYPE.test(type))
    return `'${type}' is not a node type: use kebab-case (lower-case letters, digits, single dashes), e.g. slack-reaction`
  if (existingTypes.includes(type)) return `nodes/${type}.ts already exists`
  return undefined
}

/** 'slack-reaction' -> 'Slack reaction' (the catalogue title; edit it freely). */
export function titleOf(type) {
  const words = type.replace(/-/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** 'slack-reaction' -> 'slackReaction' (the default export's local name in the test). */
export function identifierOf(type) {
  return type.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase())
}

/** nodes/<type>.ts: a working node to edit, not a stub: it copies its input and sets one field. */
export function nodeSource(type) {
  return `import { z } from 'zod'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: '${type}', // must equal the file name
  title: '${titleOf(type)}',
  // Shown in the node catalogue (GET /api/nodes): say what the node does with its input.
  description: 'Copies its input object and sets one field on it.',
  // Checked when a workflow is saved, and again when the node runs; .describe() texts become the
  // JSON Schema descriptions the catalogue shows.
  config: z.object({
    field: z.string().min(1).describe('The field to set'),
    value: z.unknown().describe('Its value'),
  }),
  // A config and an input the node succeeds on: the contract suite runs every node once on it.
  sample: { config: { field: 'status', value: 'seen' }, input: { id: 1 } },
  // Return the output (the next node's input). Throw to fail the step; throw
  // new AutomateError(code, message, { retryable: false }) when another attempt cannot help.
  // ctx.signal aborts at the node's timeout (pass it to fetch); ctx.idempotencyKey is the same on
  // every attempt of this step.
  async run(input, ctx) {
    const record = typeof input === 'object' && input !== null ? input : { input }
    return { ...record, [ctx.config.field]: ctx.config.value }
  },
})
`
}

/** nodes/<type>.test.ts: the node run the way the Engine runs it, with a parsed config. */
export function nodeTestSource(type) {
  const name = identifierOf(type)
  return `import { describe, expect, it } from 'vitest'
import { nodeContext } from '../test/node-context'
import ${name} from './${type}'

describe('${type}', () => {
  it('sets the configured field on a copy of its input', async () => {
    const input = { name: 'Ada' }
    const output = await ${name}.run(input, nodeContext(${name}, { field: 'greeted', value: true }))
    expect(output).toEqual({ name: 'Ada', greeted: true })
    expect(input).toEqual({ name: 'Ada' })
  })

  it('refuses a config without a field when the workflow is saved', () => {
    const parsed = ${name}.config.safeParse({ value: 1 })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['field'])
  })
})
`
}
