import { app } from './app'
import type { Env } from './env'
import { consumeRuns } from './engine/consume'
import { consumeDeadLetters } from './engine/dead-letter'
import type { RunMessage } from './store/run-model'
import { rememberEnvSecrets } from './credentials/remember-credential'
import { sweepStuckRuns } from './engine/sweeper'
import { fireDueSchedules } from './schedules/fire-schedules'
import { fireDuePolls } from './polls/fire-polls'
import { expireDeliveryKeys } from './store/expire-delivery-keys'
import { expireMemory } from './store/expire-memory'
import { pruneRuns } from './store/prune-runs'
import { pruneStepTests } from './store/step-tests'
import { upgradeHookTokens } from './store/workflows'

// The code node's allow-list gate, reached by its Dynamic Workers through ctx.exports.
export { CodeOutboundGate } from './code/outbound-gate'

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    // Redaction (src/redact/redact.ts) hides these wherever a log line or step row would quote them.
    rememberEnvSecrets(env)
    return app.fetch(request, env, ctx)
  },

  async queue(batch: MessageBatch<RunMessage>, env: Env) {
    rememberEnvSecrets(env)
    // Queue names, not node types: the dead-letter queue is the one named "...-dlq" in wrangler.toml.
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, env)
    else await consumeRuns(batch, env)
  },

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    rememberEnvSecrets(env)
    ctx.waitUntil(
      Promise.all([
        fireDueSchedules(env),
        fireDuePolls(env),
        sweepStuckRuns(env),
        expireDeliveryKeys(env.DB),
        expireMemory(env.DB),
        pruneRuns(env),
        pruneStepTests(env),
        // Webhook tokens kept in clear from before migration 0014 are stored hashed.
        upgradeHookTokens(env.DB),
      ]),
    )
  },
} satisfies ExportedHandler<Env, RunMessage>
