import { z } from 'zod'
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
      data: z.object({ apiKey: secret().describe('The API key, sent as a bearer token') }).strict(),
      sample: { apiKey: 'sk-sample' },
    },
  },
})

export type ChatRequest = {
  model: string
  messages: { role: 'system' | 'user'; content: string }[]
  temperature?: number
  max_tokens?: number
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
 * POST {base}/chat/completions, OpenAI's shape, which Workers AI, Groq, Ollama, vLLM and most
 * others speak too: the credential's baseUrl picks the server (default https://api.openai.com/v1).
 */
export async function chatCompletion(
  credential: CredentialOf<typeof openai>,
  request: ChatRequest,
  signal?: AbortSignal,
) {
  const answer = await callApi({
    service: openai,
    url: apiUrl('https://api.openai.com/v1', credential.baseUrl, '/chat/completions'),
    headers: { authorization: `Bearer ${credential.data.apiKey}` },
    json: request,
    signal,
  })
  return answer.body as ChatCompletion
}
