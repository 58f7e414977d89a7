import { z } from 'zod'
import { AutomateError, defineNode, suspendRun } from '../src/nodes/node-api'

/** 30 days: a wait is a run that is not finished, which retention never deletes. */
export const MAX_WAIT_SECONDS = 30 * 24 * 3600

export default defineNode({
  type: 'wait-for-webhook',
  title: 'Wait for a webhook',
  description:
    'Pauses the run until its resume URL is called (an earlier step sends {{ run.resumeUrl }}, ' +
    'e.g. as an approve link), then outputs that call: { body, query, method, contentType, ' +
    'receivedAt }. The URL works once. Past the timeout the step fails, or continues with ' +
    'timeoutOutput. No queue consumer is held while it waits.',
  resumable: true,
  pausesRun: true,
  sample: {
    config: { timeoutSeconds: 0, onTimeout: 'continue', timeoutOutput: { approved: false } },
    input: { orderId: 'ord_1' },
  },
  config: z.object({
    timeoutSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .default(86_400)
      .describe('How long to wait for the call, at most 2592000 (30 days); default 86400 (24 h)'),
    onTimeout: z
      .enum(['fail', 'continue'])
      .default('fail')
      .describe('Past the timeout: fail the step (WAIT_TIMED_OUT), or continue with timeoutOutput'),
    timeoutOutput: z
      .unknown()
      .optional()
      .describe('The output when the wait times out under onTimeout: continue (default null)'),
    decisions: z
      .array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lower-case name: a-z, 0-9 and -'))
      .min(2)
      .max(10)
      .refine((names) => new Set(names).size === names.length, 'each decision once')
      .optional()
      .describe(
        'The answers it offers, e.g. ["approve", "reject"]: each gets a URL of its own, ' +
          '{{ run.decisionUrls.approve }}, so holding one link gives no other answer; the ' +
          'output says which was chosen as `decision`, and run.resumeUrl is not accepted',
      ),
  }),
  run(_input, ctx) {
    const { timeoutSeconds, onTimeout, timeoutOutput } = ctx.config
    const timedOut = {
      message: `No call to the resume URL within ${timeoutSeconds} s (timeoutSeconds)`,
      code: 'WAIT_TIMED_OUT',
    }
    if (timeoutSeconds === 0) {
      if (onTimeout === 'continue') return timeoutOutput ?? null
      throw new AutomateError('WAIT_TIMED_OUT', timedOut.message, { retryable: false })
    }
    // The engine hands this node (it is resumable) its own resume URL and the token a call to it
    // must bring: the wait's key. A redelivered step gets the same one.
    if (!ctx.resume) {
      throw new AutomateError(
        'RESUME_URL_UNAVAILABLE',
        'wait-for-webhook found no resume URL of its own: it waits only inside a run',
        { retryable: false },
      )
    }
    return suspendRun({
      until: Date.now() + timeoutSeconds * 1000,
      waitingFor: 'webhook',
      callKey: ctx.resume.token,
      onTimeout: onTimeout === 'continue' ? { output: timeoutOutput ?? null } : { error: timedOut },
    })
  },
})
