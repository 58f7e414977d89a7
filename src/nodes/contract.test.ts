import { describe, expect, it } from 'vitest'
import { NODE_MODULES } from '../generated/node-registry'
import { admin } from '../../test/helpers'
import { nodeContext } from '../../test/node-context'
import { SAMPLE_CREDENTIALS } from '../../test/sample-credentials'
import { isHalt, type NodeDefinition } from './define-node'
import { describeNode, getNode, listNodes } from './registry'

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
const entries = Object.entries(NODE_MODULES as Record<string, NodeDefinition>)

/**
 * What every node owes the engine and the catalogue, whoever wrote it. Registered once per node,
 * so a new file in nodes/ is held to it without anyone adding a test.
 */
function nodeContract(fileName: string, node: NodeDefinition) {
  it('has a kebab-case type equal to its file name', () => {
    expect(node.type).toBe(fileName)
    expect(node.type).toMatch(KEBAB_CASE)
  })

  it('is the only node of its type, and the registry finds it by that type', () => {
    expect(listNodes().filter((other) => other.type === node.type)).toHaveLength(1)
    expect(getNode(node.type)).toBe(node)
  })

  // The types already make title, description, config and run present (the generated registry
  // `satisfies` NodeDefinition); what they cannot say is that the texts are worth showing.
  it('has a title and a description a catalogue can show', () => {
    expect(node.title.trim()).not.toBe('')
    expect(node.description.trim().length).toBeGreaterThanOrEqual(20)
  })

  it('runs once on its sample input, and returns what JSON can carry', async () => {
    const { sample } = node
    let config = sample.config
    const type = node.credentialTypes?.[0]
    if (sample.credential) {
      // Stored under a name of its own, so two nodes' samples never collide.
      const name = `sample-${node.type}`
      const stored = await admin('/api/credentials', {
        method: 'POST',
        json: { name, type, ...sample.credential },
      })
      expect([201, 409]).toContain(stored.status)
      config = { ...config, credential: name }
    } else if (type && SAMPLE_CREDENTIALS[type]) {
      config = { ...config, credential: await SAMPLE_CREDENTIALS[type]() }
    }
    expect(node.config.safeParse(config).success).toBe(true)
    const result = await node.run(structuredClone(sample.input), nodeContext(node, config))
    if (isHalt(result)) return
    expect(JSON.parse(JSON.stringify(result ?? null))).toEqual(result ?? null)
  })

  it('describes its config as a JSON Schema object naming the same fields', () => {
    const { configSchema } = describeNode(node)
    expect(configSchema.type).toBe('object')
    const properties = (configSchema.properties ?? {}) as Record<string, unknown>
    expect(Object.keys(properties).sort()).toEqual(Object.keys(node.config.shape).sort())
    for (const required of (configSchema.required ?? []) as string[])
      expect(properties).toHaveProperty(required)
    // The catalogue goes out as JSON: nothing may be lost on the way.
    expect(JSON.parse(JSON.stringify(configSchema))).toEqual(configSchema)
  })
}

describe('node registry', () => {
  it('holds at least the built-in nodes', () => {
    expect(entries.map(([key]) => key)).toEqual(
      expect.arrayContaining(['filter', 'http-request', 'transform']),
    )
    expect(listNodes()).toHaveLength(entries.length)
  })

  it('has no two nodes of the same type', () => {
    const types = listNodes().map((node) => node.type)
    expect(new Set(types).size).toBe(types.length)
  })

  it('answers an unknown type with NODE_TYPE_UNKNOWN, listing the known ones', () => {
    expect(() => getNode('no-such-node')).toThrowError(
      expect.objectContaining({
        code: 'NODE_TYPE_UNKNOWN',
        retryable: false,
        details: expect.objectContaining({ known: expect.arrayContaining(['transform']) }),
      }),
    )
  })

  it('is listed by GET /api/nodes with each config schema', async () => {
    const response = await admin('/api/nodes')
    expect(response.status).toBe(200)
    const { nodes } = (await response.json()) as {
      nodes: { type: string; title: string; description: string; configSchema: unknown }[]
    }
    expect(nodes.map((n) => n.type).sort()).toEqual(entries.map(([key]) => key).sort())
    for (const [, node] of entries) {
      const listed = nodes.find((n) => n.type === node.type)
      expect(listed).toEqual(JSON.parse(JSON.stringify(describeNode(node))))
      expect(listed?.configSchema).toMatchObject({ type: 'object' })
    }
  })
})

for (const [fileName, node] of entries)
  describe(`node contract: ${fileName}`, () => nodeContract(fileName, node))
