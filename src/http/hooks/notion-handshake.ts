import { insertCredential } from '../../credentials/store'
import type { Env } from '../../env'
import { AutomateError } from '../../errors'
import { logEvent } from '../../lib/log-event'
import { rememberSecret } from '../../redact/known-secrets'
import { recordNotionVerification } from '../../store/notion-verifications'
import { isReservedSecret, type WebhookTrigger } from '../../workflow/trigger'

const MAX_TOKEN_LENGTH = 500

/**
 * The token of Notion's verification request, if this is one (developers.notion.com/reference/
 * webhooks, "Step 2 - Verifying the subscription"): when a subscription is created, Notion sends
 * one POST whose JSON body is `{"verification_token": "…"}`, unsigned (the token is what later
 * signs). Only on a workflow whose trigger checks Notion's signature, and only without an
 * X-Notion-Signature header: a signed request is an event and goes through the signature check.
 */
export function notionVerificationToken(
  rule: WebhookTrigger,
  headers: Headers,
  raw: ArrayBuffer,
): string | undefined {
  const signature = rule.signature
  if (!signature || !('preset' in signature) || signature.preset !== 'notion') return undefined
  if (headers.has('x-notion-signature') || raw.byteLength > 2 * MAX_TOKEN_LENGTH) return undefined
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(raw))
  } catch {
    return undefined
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const token = (body as Record<string, unknown>).verification_token
  if (Object.keys(body).length !== 1 || typeof token !== 'string') return undefined
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined
  return token
}

/**
 * Keeps Notion's token where the trigger's `signature.secret` names it, so the events Notion signs
 * with it verify, and so the user can read it once and paste it into Notion (GET
 * /api/workflows/:id/notion-verification). The first token is kept: a later handshake, or a
 * Worker secret or credential already of that name, changes nothing, so whoever else learns the
 * URL cannot swap the signing key once it is set. No run starts either way.
 */
export async function acceptNotionVerification(
  env: Env,
  workflowId: string,
  secretName: string,
  token: string,
) {
  rememberSecret(token)
  const stored = await storeToken(env, secretName, token)
  if (stored) await recordNotionVerification(env.DB, workflowId, secretName, Date.now())
  logEvent('info', 'notion_verification_received', {
    workflowId,
    binding: secretName,
    stored,
    ...(stored ? {} : { why: 'a secret of that name exists; delete it to take a new token' }),
  })
}

async function storeToken(env: Env, name: string, token: string) {
  if (isReservedSecret(name)) return false
  const workerSecret = (env as unknown as Record<string, unknown>)[name]
  if (typeof workerSecret === 'string' && workerSecret !== '') return false
  try {
    await insertCredential(env.DB, env, { name, type: 'webhook-secret', data: { secret: token } })
    return true
  } catch (error) {
    if (error instanceof AutomateError && error.code === 'CREDENTIAL_EXISTS') return false
    throw error
  }
}
