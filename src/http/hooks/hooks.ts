import { Hono, type Context } from 'hono'
import type { Env } from '../../env'
import { AutomateError } from '../../errors'
import type { TriggerInfo } from '../../store/run-model'
import { INGEST_LIMITS, evaluateExpression } from '../../lib/jsonata'
import { lookupWorkflow } from '../../store/workflow-cache'
import type { WebhookTrigger } from '../../workflow/trigger'
import { acceptRun, acceptedResponse } from '../accept-run'
import { errorBody } from '../errors'
import { fieldsToObject, parseWebhookBody } from './webhook-body'
import { syncResponse } from './sync-response'
import { readLimited } from '../read-limited'
import { REDACTED, isSecretName, redactPairs } from '../../redact/redact'
import { verifySignature } from './webhook-signature'
import { logEvent } from '../../lib/log-event'
import { markNotionVerified } from '../../store/notion-verifications'
import { githubFormPayload, handshakeAnswer, slackEventId } from './sender-protocols'
import { acceptNotionVerification, notionVerificationToken } from './notion-handshake'
import { deliveredToken, hookTokenMatches } from './hook-token'

export const MAX_WEBHOOK_BYTES = 1024 * 1024
const MAX_KEY_LENGTH = 256

export const hooks = new Hono<{ Bindings: Env }>()

/**
 * The one answer for any /hooks URL that does not lead anywhere (unknown, disabled, wrong token,
 * a resume URL that is not this run's): the same bytes everywhere, so a guesser learns nothing.
 */
export function unknownHook(c: Context) {
  return c.json(errorBody('NOT_FOUND', 'No enabled workflow answers at this URL'), 404)
}

hooks.on(['POST', 'PUT', 'GET'], '/:workflowId/:token?', async (c) => {
  const { workflowId } = c.req.param()
  // The token in the path, or for a sender that can set headers, in X-AutomateOS-Token.
  const token = deliveredToken(c, c.req.param('token'))
  const workflow = await lookupWorkflow(c.env.DB, workflowId)
  // One answer for unknown, disabled and wrong token: a URL guesser learns nothing.
  if (
    !workflow ||
    !workflow.enabled ||
    workflow.trigger.type !== 'webhook' ||
    !(await hookTokenMatches(c, workflow, token))
  ) {
    return unknownHook(c)
  }
  const rule = workflow.trigger
  // GET and PUT are opt-in: a link preview or crawler fetching the URL must not start a run.
  // HEAD reaches this handler as GET in Hono, and never starts one.
  const methods = rule.methods ?? ['POST']
  const method = c.req.method as (typeof methods)[number]
  if (!methods.includes(method)) {
    c.header('Allow', methods.join(', '))
    const message = `This webhook accepts ${methods.join(', ')}; set trigger.methods to accept ${c.req.method}`
    return c.json(errorBody('METHOD_NOT_ALLOWED', message), 405)
  }

  const url = new URL(c.req.url)
  const raw =
    method === 'GET' ? new ArrayBuffer(0) : await readLimited(c.req.raw, MAX_WEBHOOK_BYTES)
  const headers = c.req.raw.headers

  // Notion's one-time verification request carries the key that signs what follows: kept, and
  // answered without a run (notion-handshake.ts).
  const notionToken = notionVerificationToken(rule, headers, raw)
  if (notionToken && rule.signature) {
    await acceptNotionVerification(c.env, workflowId, rule.signature.secret, notionToken)
    return c.json({ ok: true, received: 'verification_token' }, 200)
  }

  const replayKey = rule.signature
    ? await verifySignature(rule.signature, c.env, headers, raw)
    : undefined
  // An event signed with Notion's token proves Notion has it: the token is not shown again.
  if (rule.signature && 'preset' in rule.signature && rule.signature.preset === 'notion') {
    await markNotionVerified(c.env.DB, workflowId, Date.now())
  }
  const payload =
    method === 'GET'
      ? queryInput(url.searchParams)
      : githubFormPayload(headers, await parseWebhookBody(c.req.raw, raw))

  const handshake = handshakeAnswer(rule, headers, payload)
  if (handshake) {
    return c.body(handshake.body, 200, { 'content-type': handshake.contentType })
  }

  const trigger: TriggerInfo = {
    type: 'webhook',
    receivedAt: Date.now(),
    origin: url.origin,
    method,
    contentType: c.req.header('content-type'),
    query: redactPairs(url.searchParams),
    headers: visibleHeaders(headers),
  }
  const dedupeKey = await deliveryKey(headers, payload, rule, replayKey)
  if (dedupeKey) trigger.dedupeKey = dedupeKey

  const accepted = await acceptRun(c, workflow, payload, trigger)
  return rule.respond === 'sync' ? syncResponse(c, accepted) : acceptedResponse(c, accepted)
})

/**
 * A GET webhook's input: its query, with the values of credential-like names (`?token=`,
 * `?api_key=`) redacted as in `trigger.query`: the input is stored and shown like the trigger.
 */
function queryInput(params: URLSearchParams) {
  const pairs = [...params].map(([name, value]): [string, string] => [
    name,
    isSecretName(name) ? REDACTED : value,
  ])
  return fieldsToObject(pairs)
}

// Credentials a sender may put in headers or the query have no business in the run log;
// cf-* headers are Cloudflare's own, and Set-Cookie never belongs to a request.
function visibleHeaders(headers: Headers) {
  return redactPairs(headers, (name) => name.startsWith('cf-') || name === 'set-cookie')
}

/**
 * The id that makes a repeated delivery recognisable, first found of: the header or body path
 * the workflow's trigger names (X-GitHub-Delivery, Stripe's event id); a Slack event's
 * `event_id` (Slack's retries are signed anew); on a signed webhook, what the signature proves
 * (a replayed delivery carries it, however its header is spelled, and an unsigned
 * Idempotency-Key would let a replay through under a new value); otherwise the standard
 * Idempotency-Key header.
 */
async function deliveryKey(
  headers: Headers,
  payload: unknown,
  rule: WebhookTrigger,
  replayKey: string | undefined,
) {
  const configured = await configuredKey(headers, payload, rule)
  if (configured) return configured
  const slackEvent = slackEventId(rule, payload)
  if (slackEvent) return checkKey(`slack-event:${slackEvent}`, slackEvent, 'body: event_id')
  if (replayKey) return replayKey
  const explicit = headers.get('idempotency-key')
  return explicit
    ? checkKey(`idempotency-key:${explicit}`, explicit, 'headers.idempotency-key')
    : undefined
}

async function configuredKey(headers: Headers, payload: unknown, rule: WebhookTrigger) {
  const dedupe = rule.dedupe
  if (dedupe?.header) {
    const value = headers.get(dedupe.header)
    if (value) {
      const name = dedupe.header.toLowerCase()
      return checkKey(`header:${name}:${value}`, value, `headers.${name}`)
    }
  }
  if (dedupe?.path) {
    // While the sender waits, and within a path's budget: a runaway expression here would hold
    // the request. A path that fails or runs out gives no key, and the delivery runs undeduped.
    const value = await evaluateExpression(dedupe.path, payload, undefined, INGEST_LIMITS).catch(
      (error: unknown) => {
        logEvent('warn', 'dedupe_path_failed', { code: (error as { code?: string }).code })
        return undefined
      },
    )
    if (typeof value === 'string' || typeof value === 'number')
      return checkKey(`path:${dedupe.path}:${value}`, String(value), `body: ${dedupe.path}`)
  }
  return undefined
}

/** The delivery id the sender chose (`value`, found at `field`) may be up to MAX_KEY_LENGTH long. */
function checkKey(key: string, value: string, field: string) {
  if (value.length > MAX_KEY_LENGTH) {
    throw new AutomateError(
      'IDEMPOTENCY_KEY_TOO_LONG',
      `The delivery id in ${field} is longer than ${MAX_KEY_LENGTH} characters`,
      {
        status: 400,
        details: [{ path: field, message: `at most ${MAX_KEY_LENGTH} characters` }],
      },
    )
  }
  return key
}
