// OpenAI's Create chat completion: POST /v1/chat/completions
// (https://platform.openai.com/docs/api-reference/chat/create), and two servers that speak it with
// differences of their own: Azure OpenAI and Anthropic's compatibility endpoint. The fake model
// answers the user's message back; a user message starting "json:" is answered with the rest of
// it (Anthropic's wraps it in prose and a ```json fence). An API key holding "no-quota" gets
// OpenAI's 429 insufficient_quota, one holding "rate-limited" a 429 rate limit.
import { bearerOf, json } from './reply.js'

const invalid = (message, param = null, code = null) =>
  json(400, { error: { message, type: 'invalid_request_error', param, code } })

export function openai(request) {
  if (!request.path.endsWith('/chat/completions') || request.method !== 'POST')
    return json(404, {
      error: { message: 'Invalid URL', type: 'invalid_request_error', param: null, code: null },
    })
  const key = bearerOf(request)
  if (!key || key.includes('invalid'))
    return json(401, {
      error: {
        message:
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    })
  // https://platform.openai.com/docs/guides/error-codes#api-errors: "429 - You exceeded your
  // current quota": out of credits or at the monthly spend limit. Body as OpenAI sends it
  // (https://github.com/OthersideAI/self-operating-computer/issues/29 and many like it).
  if (key.includes('no-quota'))
    return json(429, {
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    })
  // The x-ratelimit-* headers are https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers;
  // OpenAI documents no retry-after-ms (Azure sends it, below), and its SDKs read Retry-After.
  if (key.includes('rate-limited'))
    return json(
      429,
      {
        error: {
          message:
            'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 2s. Visit https://platform.openai.com/account/rate-limits to learn more.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      {
        'x-ratelimit-limit-requests': '3',
        'x-ratelimit-limit-tokens': '40000',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-remaining-tokens': '39980',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-reset-tokens': '30ms',
        'retry-after': '2',
      },
    )
  const refused = refusedByOpenAI(request.body ?? {})
  if (refused) return refused
  return completion(request.body, echo(request.body))
}

/** What OpenAI refuses in a request body, whoever serves its models (OpenAI, Azure). */
function refusedByOpenAI(body, model = body.model) {
  if (!model) return invalid('you must provide a model parameter')
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return invalid("'messages' must contain at least one message", 'messages')
  const name = String(model).toLowerCase()
  const chat = /^gpt-5(\.\d+)?-chat/.test(name)
  const reasoning = !chat && (/^o\d+(-|$)/.test(name) || /^gpt-5/.test(name))
  // "max_tokens … is not compatible with o-series models"
  // (https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens); the
  // message as OpenAI words it: https://github.com/griptape-ai/ComfyUI-Griptape/issues/312.
  if (reasoning && body.max_tokens !== undefined)
    return invalid(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    )
  // Reasoning models take only the default temperature
  // (https://platform.openai.com/docs/guides/reasoning#limitations); gpt-5.1 and later take one
  // with reasoning effort none, gpt-5.1's default, the others' being medium
  // (https://developers.openai.com/api/docs/guides/latest-model#gpt-54-parameter-compatibility,
  // https://learn.microsoft.com/en-us/javascript/api/@azure/ai-projects/reasoningeffort). The
  // message: https://github.com/NVlabs/cvdp_benchmark/issues/29.
  const effort = body.reasoning_effort ?? (/^gpt-5\.1(-|$)/.test(name) ? 'none' : 'medium')
  const samplingAllowed = /^gpt-5\.\d+/.test(name) && effort === 'none'
  if (reasoning && !samplingAllowed && body.temperature !== undefined && body.temperature !== 1)
    return invalid(
      `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
      'temperature',
      'unsupported_value',
    )
  if (
    body.response_format?.type === 'json_object' &&
    !body.messages.some((m) => /json/i.test(m.content))
  )
    return invalid(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      'messages',
    )
  return undefined
}

function lastUserMessage(body) {
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''
}

function echo(body) {
  const user = lastUserMessage(body)
  return user.startsWith('json:') ? user.slice(5).trim() : `You said: ${user}`
}

function completion(body, content, model = body.model) {
  return json(200, {
    id: 'chatcmpl-fake1',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
  })
}

/**
 * Azure OpenAI: POST https://{resource}.openai.azure.com/openai/deployments/{deployment}/chat/
 * completions?api-version=…, the key in an `api-key` header
 * (https://learn.microsoft.com/en-us/azure/ai-services/openai/reference). Without api-version it
 * answers 404 Resource not found (https://github.com/MicrosoftDocs/azure-docs/issues/114602);
 * without a key, or with a wrong one, 401 in its own shape
 * (https://github.com/continuedev/continue/issues/4601, https://github.com/SciSharp/BotSharp/issues/386).
 * Its 429 (body: https://www.dotnetstudioai.com/hospital/fix-429-rate-limit-exceeded-azure-openai-dotnet)
 * carries retry-after-ms, to follow first when present
 * (https://www.developersdigest.tech/errors/api/azure-openai/429-rate-limit-exceeded), and retry-after.
 */
export function azureOpenai(request) {
  const azureError = (status, message) => json(status, { error: { code: String(status), message } })
  const route = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(request.path)
  if (!route || request.method !== 'POST') return azureError(404, 'Resource not found')
  const key = request.headers['api-key']
  if (!key)
    return azureError(
      401,
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    )
  if (key.includes('invalid'))
    return azureError(
      401,
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    )
  if (!request.query['api-version']) return azureError(404, 'Resource not found')
  if (key.includes('rate-limited'))
    return json(
      429,
      {
        error: {
          code: '429',
          message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${request.query['api-version']} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds.`,
        },
      },
      { 'retry-after-ms': '1500', 'retry-after': '2' },
    )
  const body = request.body ?? {}
  const model = body.model ?? route[1]
  const refused = refusedByOpenAI(body, model)
  if (refused) return refused
  return completion(body, echo(body), model)
}

/**
 * Anthropic's OpenAI SDK compatibility endpoint, POST https://api.anthropic.com/v1/chat/completions
 * (https://docs.claude.com/en/api/openai-sdk): max_tokens and max_completion_tokens both taken,
 * temperature capped at 1, response_format ignored, so a JSON answer comes as Claude writes it,
 * between sentences and in a fence.
 */
export function anthropicCompat(request) {
  if (request.path !== '/v1/chat/completions' || request.method !== 'POST')
    return json(404, {
      type: 'error',
      error: { type: 'not_found_error', message: 'Not found' },
    })
  const key = bearerOf(request) ?? request.headers['x-api-key']
  if (!key || key.includes('invalid'))
    return json(401, {
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    })
  const body = request.body ?? {}
  if (!body.model || !Array.isArray(body.messages) || body.messages.length === 0)
    return json(400, {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'model and messages are required' },
    })
  const user = lastUserMessage(body)
  const content = user.startsWith('json:')
    ? `Here is the JSON you asked for:\n\n\`\`\`json\n${user.slice(5).trim()}\n\`\`\`\n\nLet me know if you need anything else.`
    : `You said: ${user}`
  return completion(body, content)
}
