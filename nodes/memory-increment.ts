import { z } from 'zod'
import {
  defineNode,
  entryOutput,
  memoryKey,
  memoryNamespace,
  memoryTtl,
} from '../src/nodes/node-api'

export default defineNode({
  type: 'memory-increment',
  title: 'Memory: increment',
  description:
    'Adds an amount to a number remembered under a key, atomically: runs at the same moment ' +
    'each count once. A missing or expired key starts from 0 and lives ttlSeconds from then ' +
    '(a fixed window). Outputs { key, value, expiresAt } with the new value.',
  sample: { config: { key: 'orders-today', amount: 1, ttlSeconds: 86400 }, input: {} },
  config: z.object({
    key: memoryKey(),
    amount: z.number().default(1).describe('What to add (negative to subtract); 1 by default'),
    ttlSeconds: memoryTtl('When the count starts: forget it after this many seconds'),
    namespace: memoryNamespace(),
  }),
  async run(_input, { config, memory }) {
    const { key, amount, ttlSeconds, namespace } = config
    return entryOutput(await memory.increment(key, amount, { ttlSeconds, namespace }))
  },
})
