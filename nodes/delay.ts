import { z } from 'zod'
import { AutomateError, MAX_QUEUE_DELAY_MS, defineNode, suspendRun } from '../src/nodes/node-api'

export default defineNode({
  type: 'delay',
  title: 'Delay',
  description:
    'Waits a number of seconds (up to 12 hours) or until a given time, then passes its input on ' +
    'unchanged. The run is paused meanwhile: no queue consumer is held while it waits.',
  sample: { config: { seconds: 0 }, input: { orderId: 'ord_1' } },
  pausesRun: true,
  config: z
    .object({
      seconds: z
        .number()
        .min(0)
        .max(MAX_QUEUE_DELAY_MS / 1000)
        .optional()
        .describe('Seconds to wait, at most 43200 (12 hours)'),
      until: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('An ISO 8601 time to wait until, e.g. 2026-12-01T09:00:00Z'),
    })
    .refine((c) => (c.seconds === undefined) !== (c.until === undefined), {
      message: 'give either seconds or until',
    }),
  run(input, { config }) {
    const until =
      config.until !== undefined ? Date.parse(config.until) : Date.now() + config.seconds! * 1000
    if (!Number.isFinite(until)) {
      throw new AutomateError('CONFIG_INVALID', `until is not a time: ${config.until}`, {
        retryable: false,
      })
    }
    if (until <= Date.now()) return input
    return suspendRun({ until, waitingFor: 'delay', onTimeout: { output: input } })
  },
})
