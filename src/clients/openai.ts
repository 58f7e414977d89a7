import { z } from 'zod'
import { AutomateError } from '../errors'
import { apiUrl, callApi } from './call-api'
import { type CredentialOf, defineService, secret } from './service'

/** OpenAI's chat API, which Workers AI, Groq, Ollama, vLLM and most others speak too. */
export const openai = defineService({
  name: 'AI',
  errorCode: 'AI_ERROR',
  otherCodes: ['AI_NO_ANSWER', 'AI_ANSWER_NOT_JSON'],
  baseUrl: 'https://api.openai.com/v1',
  credentials: {
    'openai-compatible': {
      // Azure OpenAI wants its key in an `api-key` header and an `api-version` query parameter,
      // which a baseUrl may not hold (https://learn.microsoft.com/en-us/azure/ai-services/openai/reference).
      data: z
        .object({
          apiKey: secret().describe(
            'The API key, sent as a bearer token (or as apiKeyHeader says)',
          ),
          apiKeyHeader: z
            .enum(['authorization', 'api-key'])
            .optional()
            .describe(
              "How the key is sent: 'authorization' (Bearer, the default) or 'api-key' (Azure)",
            ),
          apiVersion: z
            .string()
            .regex(/^[0-9A-Za-z.-]{1,40}$/, 'must be an API version such as 2024-10-21')
            .optional()
            .describe('Sent as ?api-version= (Azure OpenAI, e.g. 2024-10-21)'),
        })
        .strict(),
      notSecret: ['apiKeyHeader', 'apiVersion'],
      sample: { apiKey: 'sk-sample' },
    },
  },
})

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const

export type ChatRequest = {
  model: string
  messages: { role: 'system' | 'user'; content: string }[]
  temperature?: number
  // OpenAI deprecated max_tokens for max_completion_tokens, and its reasoning models refuse it
  // (https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens); servers
  // that only know the old name (Ollama) get it when the node asks.
  max_completion_tokens?: number
  max_tokens?: number
  reasoning_effort?: (typeof REASONING_EFFORTS)[number]
  response_format?: { type: 'json_object' }
}

export type ChatCompletion = {
  id: string
  model: string
  choices: {
    index: number
    message: { role: string; content: string | null }
    finish_reason: string
  }[]
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
}

/**
 * POST {base}/chat/completions, OpenAI's shape, which Azure OpenAI, Anthropic's compatibility
 * endpoint, Workers AI, Groq, Ollama, vLLM and most others speak too: the credential's baseUrl
 * picks the server (default https://api.openai.com/v1). Fields left undefined are not sent.
 */
export async function chatCompletion(
  credential: CredentialOf<typeof openai>,
  request: ChatRequest,
  signal?: AbortSignal,
) {
  const { apiKey, apiKeyHeader, apiVersion } = credential.data
  const url = apiUrl('https://api.openai.com/v1', credential.baseUrl, '/chat/completions')
  // Azure: POST https://{resource}.openai.azure.com/openai/deployments/{deployment}/chat/completions
  // ?api-version=…, key in `api-key` (https://learn.microsoft.com/en-us/azure/ai-services/openai/reference).
  if (apiVersion) url.searchParams.set('api-version', apiVersion)
  const headers: Record<string, string> =
    apiKeyHeader === 'api-key' ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` }
  try {
    const answer = await callApi({ service: openai, url, headers, json: request, signal })
    return answer.body as ChatCompletion
  } catch (error) {
    throw outOfQuota(error) ?? error
  }
}

/**
 * OpenAI answers 429 both for a rate limit, which passes, and for an account out of credits or at
 * its spend limit (`insufficient_quota`), which no retry fixes and each retry would only repeat
 * (https://platform.openai.com/docs/guides/error-codes#api-errors).
 */
function outOfQuota(error: unknown) {
  if (!(error instanceof AutomateError)) return undefined
  const details = error.details as { status?: number; body?: unknown } | undefined
  if (details?.status !== 429) return undefined
  const reason = (details.body as { error?: { code?: unknown; type?: unknown } } | null)?.error
  if (reason?.code !== 'insufficient_quota' && reason?.type !== 'insufficient_quota')
    return undefined
  return new AutomateError(
    'AI_ERROR',
    'AI 429: insufficient_quota: the account has run out of credits or reached its spend limit; ' +
      "add credits or raise the limit in the provider's billing settings (not retried)",
    { status: 502, retryable: false, cause: error, details: error.details },
  )
}
