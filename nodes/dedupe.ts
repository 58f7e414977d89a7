import { z } from 'zod'
import {
  defineNode,
  haltRun,
  memoryKey,
  memoryNamespace,
  memoryWindow,
} from '../src/nodes/node-api'

export default defineNode({
  type: 'dedupe',
  title: 'Dedupe',
  description:
    'Lets a run through only the first time its key is seen within a window (notify once per ' +
    'customer per day: key customer:{{ input.customerId }}, windowSeconds 86400), passing its ' +
    'input on. A key seen before ends the run successfully here, as filter does, with the ' +
    'output { duplicate: true, key, firstSeenAt, firstRunId, windowEndsAt }.',
  sample: { config: { key: 'sample:{{ input.id }}', windowSeconds: 60 }, input: { id: 1 } },
  config: z.object({
    key: memoryKey(),
    windowSeconds: memoryWindow(),
    namespace: memoryNamespace(),
  }),
  async run(input, { config, memory }) {
    const { key, windowSeconds, namespace } = config
    const seen = await memory.markSeen(key, windowSeconds, { namespace })
    if (seen.first) return input
    const first = seen.seen
    const firstRunId = (first.value as { runId?: unknown } | null)?.runId
    const output = {
      duplicate: true,
      key,
      firstSeenAt: new Date(first.updatedAt).toISOString(),
      firstRunId: typeof firstRunId === 'string' ? firstRunId : null,
      windowEndsAt: first.expiresAt === null ? null : new Date(first.expiresAt).toISOString(),
    }
    return haltRun(output, `duplicate: ${key} was seen at ${output.firstSeenAt}`)
  },
})
