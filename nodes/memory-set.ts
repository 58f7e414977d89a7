import { z } from 'zod'
import {
  defineNode,
  entryOutput,
  memoryKey,
  memoryNamespace,
  memoryTtl,
} from '../src/nodes/node-api'

export default defineNode({
  type: 'memory-set',
  title: 'Memory: set',
  description:
    'Remembers a JSON value under a key for later runs (64 KiB at most), replacing what was ' +
    'there, for ttlSeconds or for good. Outputs { key, value, expiresAt }.',
  sample: { config: { key: 'last-order', value: { id: 'ord_1' }, ttlSeconds: 3600 }, input: {} },
  config: z.object({
    key: memoryKey(),
    value: z
      .unknown()
      .refine((value) => value !== undefined, 'value is required (null is a value)')
      .describe('Any JSON, usually a template: {{ input.order }}'),
    ttlSeconds: memoryTtl('Forget the value after this many seconds; leave out to keep it'),
    namespace: memoryNamespace(),
  }),
  async run(_input, { config, memory }) {
    const { key, value, ttlSeconds, namespace } = config
    return entryOutput(await memory.set(key, value, { ttlSeconds, namespace }))
  },
})
