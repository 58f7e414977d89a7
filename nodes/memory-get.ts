import { z } from 'zod'
import { defineNode, entryOutput, memoryKey, memoryNamespace } from '../src/nodes/node-api'

export default defineNode({
  type: 'memory-get',
  title: 'Memory: get',
  description:
    'Reads a value remembered by an earlier run (memory-set, memory-increment) under a key. ' +
    'Outputs { key, found, value, expiresAt }; a missing or expired key gives found: false and ' +
    'the default.',
  sample: { config: { key: 'last-order', default: null }, input: {} },
  config: z.object({
    key: memoryKey(),
    default: z.unknown().optional().describe('The value when the key is missing or expired'),
    namespace: memoryNamespace(),
  }),
  async run(_input, { config, memory }) {
    const entry = await memory.get(config.key, { namespace: config.namespace })
    if (!entry)
      return { key: config.key, found: false, value: config.default ?? null, expiresAt: null }
    return { found: true, ...entryOutput(entry) }
  },
})
