import type { ServiceErrorCode } from './generated/error-codes'

/**
 * Every code AutomateOS itself gives an error: stable, for clients and alerts to match on. An
 * ErrorInfo's code may also be a thrown Error's name (TypeError) when the error is not ours.
 */
export type ErrorCode =
  // HTTP API
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'INVALID_FORM'
  | 'JSON_TOO_DEEP'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ADMIN_TOKEN_TOO_SHORT'
  | 'TOO_MANY_ATTEMPTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'IDEMPOTENCY_KEY_TOO_LONG'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_STALE'
  | 'SIGNATURE_SECRET_MISSING'
  | 'QUEUE_UNAVAILABLE'
  | 'RUN_NOT_RESUMABLE'
  | 'RUN_ALREADY_RESUMED'
  // POST /api/workflows/:id/publish with nothing saved as a draft
  | 'NO_DRAFT'
  | 'WORKFLOW_DELETED'
  | 'INTERNAL'
  // a step
  | 'CONFIG_INVALID'
  | 'NODE_TYPE_UNKNOWN'
  | 'NODE_TIMEOUT'
  | 'OUTPUT_NOT_JSON'
  | 'NON_ERROR_THROWN'
  | 'EXPRESSION_INVALID'
  | 'EXPRESSION_FAILED'
  | 'EXPRESSION_LIMIT'
  | 'HTTP_ERROR'
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'PAYLOAD_MISSING'
  | 'SKIPPED'
  // credentials
  | 'CREDENTIAL_EXISTS'
  | 'CREDENTIAL_NOT_FOUND'
  | 'CREDENTIAL_WRONG_TYPE'
  | 'CREDENTIAL_UNREADABLE'
  | 'CREDENTIAL_NOT_DECLARED'
  | 'CREDENTIALS_UNAVAILABLE'
  // an oauth2 credential whose grant is gone (or never made): reconnect it on its page
  | 'CREDENTIAL_NEEDS_RECONNECT'
  | 'OAUTH_STATE_INVALID'
  | 'ENCRYPTION_KEY_MISSING'
  | 'ENCRYPTION_KEY_TOO_SHORT'
  // a run
  | 'STEPS_FAILED'
  | 'WORKFLOW_VERSION_MISSING'
  | 'DEAD_LETTERED'
  | 'STUCK'
  | 'METHOD_NOT_ALLOWED'
  | 'TOO_MANY_REDIRECTS'
  | 'RESPONSE_TOO_LARGE'
  | 'RESPONSE_NOT_JSON'
  | 'REDIRECT_REFUSED'
  | 'OUTPUT_TOO_LARGE'
  | 'CREDENTIAL_ORIGIN'
  | 'MCP_ERROR'
  | 'MCP_TOOL_ERROR'
  | 'CODE_NOT_ENABLED'
  | 'CODE_INVALID'
  | 'CODE_FAILED'
  | 'CODE_CPU_LIMIT'
  // templates, if and forEach
  | 'TEMPLATE_INVALID'
  | 'TEMPLATE_FAILED'
  | 'IF_FAILED'
  | 'FOR_EACH_FAILED'
  | 'FOR_EACH_PARTIAL'
  // waiting for a reply (wait-for-webhook and its resume URL)
  | 'RESUME_URL_UNAVAILABLE'
  | 'WAIT_TIMED_OUT'
  | 'RESUME_URL_USED'
  | 'RUN_NOT_WAITING_YET'
  // app integrations: each declares its own codes (defineService in src/clients/)
  | 'CREDENTIAL_INVALID'
  // a message too long for its app, even split (src/clients/split-message.ts)
  | 'MESSAGE_TOO_LONG'
  | ServiceErrorCode
  // memory between runs (memory-* and dedupe nodes)
  | 'MEMORY_KEY_INVALID'
  | 'MEMORY_VALUE_TOO_LARGE'
  | 'MEMORY_NOT_A_NUMBER'
  // polling triggers (src/polls/)
  | 'POLL_NOT_ACTIVE'
  | 'POLL_FAILED'

/**
 * The one error type of AutomateOS. `code` is stable and machine-readable, `status` is the HTTP
 * status when it reaches a client, `retryable: false` tells the engine that trying the same node
 * again cannot help (a 4xx from an API, a bad config), and `cause` keeps the original error.
 */
export class AutomateError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly retryable: boolean
  readonly details?: unknown
  readonly retryAfterMs?: number

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      status?: number
      retryable?: boolean
      details?: unknown
      cause?: unknown
      retryAfterMs?: number
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AutomateError'
    this.code = code
    this.status = options.status ?? 500
    this.retryable = options.retryable ?? true
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
  }
}

export type ErrorInfo = { message: string; code?: string; details?: unknown }

/** Anything thrown, Error or not, as the `{ message, code?, details? }` the run log shows. */
export function describeError(thrown: unknown): ErrorInfo {
  if (thrown instanceof AutomateError) {
    return withoutUndefined({ message: thrown.message, code: thrown.code, details: thrown.details })
  }
  if (thrown instanceof Error) {
    const code = thrown.name && thrown.name !== 'Error' ? thrown.name : undefined
    return withoutUndefined({ message: thrown.message || thrown.name, code })
  }
  return {
    message: `Non-Error value thrown: ${safeString(thrown)}`,
    code: 'NON_ERROR_THROWN',
    details: toJsonSafe(thrown),
  }
}

export function isRetryable(thrown: unknown): boolean {
  return !(thrown instanceof AutomateError) || thrown.retryable
}

function safeString(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function toJsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null')
  } catch {
    return String(value)
  }
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key]
  return value
}
