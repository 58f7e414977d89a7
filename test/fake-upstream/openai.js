// OpenAI's Create chat completion: POST /v1/chat/completions
// (https://platform.openai.com/docs/api-reference/chat/create). The fake model answers the user's
// message back; a user message starting "json:" is answered with the rest of it, as given.
import { bearerOf, json } from './reply.js'

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
  const body = request.body ?? {}
  if (!body.model)
    return json(400, {
      error: {
        message: 'you must provide a model parameter',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    })
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return json(400, {
      error: {
        message: "'messages' must contain at least one message",
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      },
    })
  if (
    body.response_format?.type === 'json_object' &&
    !body.messages.some((m) => /json/i.test(m.content))
  )
    return json(400, {
      error: {
        message:
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      },
    })
  const user = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''
  const content = user.startsWith('json:') ? user.slice(5).trim() : `You said: ${user}`
  return json(200, {
    id: 'chatcmpl-fake1',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
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
