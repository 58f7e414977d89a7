import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import aiChat from './ai-chat'

async function server(apiKey = 'sk-test-123') {
  const openai = fakeApp('openai')
  const credential = await createCredential(
    'openai-compatible',
    { apiKey },
    { baseUrl: openai.url('/v1') },
  )
  return { openai, credential }
}

describe('ai-chat', () => {
  it('posts a chat completion with the system and user messages and returns the answer', async () => {
    const { openai, credential } = await server()
    const output = await runNode(aiChat, {
      credential,
      model: 'gpt-4o-mini',
      system: 'You are terse.',
      prompt: 'Say hi',
      temperature: 0.2,
      maxTokens: 50,
    })
    const [request] = (await openai.received()).requests
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Say hi' },
        ],
        temperature: 0.2,
        max_tokens: 50,
      },
    })
    expect(request!.body).not.toHaveProperty('response_format')
    expect(request!.headers.authorization).toBe('Bearer sk-test-123')
    expect(output).toEqual({
      answer: 'You said: Say hi',
      model: 'gpt-4o-mini',
      finishReason: 'stop',
      usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
    })
  })

  it('parses the answer in JSON mode, asking for JSON', async () => {
    const { openai, credential } = await server()
    const output = (await runNode(aiChat, {
      credential,
      model: 'm',
      prompt: 'json: {"sentiment": "positive", "score": 0.9}',
      json: true,
    })) as { answer: unknown }
    expect(output.answer).toEqual({ sentiment: 'positive', score: 0.9 })
    const [request] = (await openai.received()).requests
    expect(request!.body).toMatchObject({
      response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'Answer with one JSON object.' }, { role: 'user' }],
    })
  })

  it('fails in JSON mode when the answer is not JSON', async () => {
    const { credential } = await server()
    const error = await nodeFailure(aiChat, {
      credential,
      model: 'm',
      prompt: 'json: sure! here it is',
      json: true,
    })
    expect(error).toMatchObject({
      code: 'AI_ANSWER_NOT_JSON',
      details: { answer: 'sure! here it is' },
    })
  })

  it("fails a wrong key for good with the API's message", async () => {
    const { credential } = await server('sk-invalid')
    const error = await nodeFailure(aiChat, { credential, model: 'm', prompt: 'x' })
    expect(error).toMatchObject({ code: 'AI_ERROR', retryable: false })
    expect(error.message).toMatch(/^AI 401: Incorrect API key provided/)
  })

  it('is retryable on a 429 after Retry-After', async () => {
    const { openai, credential } = await server()
    await openai.program([
      {
        path: '/v1/chat/completions',
        responses: [
          {
            status: 429,
            headers: { 'retry-after': '20' },
            body: {
              error: {
                message: 'Rate limit reached for gpt-4o-mini',
                type: 'requests',
                param: null,
                code: 'rate_limit_exceeded',
              },
            },
          },
        ],
      },
    ])
    const error = await nodeFailure(aiChat, { credential, model: 'm', prompt: 'x' })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 20_000 })
    expect(error.message).toBe('AI 429: Rate limit reached for gpt-4o-mini')
  })

  it('calls https://api.openai.com/v1 without a baseUrl', async () => {
    const credential = await createCredential('openai-compatible', { apiKey: 'sk-official-1' })
    await runNode(aiChat, { credential, model: 'gpt-4o-mini', prompt: 'ping' })
    const { requests } = (await (await fetch('http://api.openai.com/__requests')).json()) as {
      requests: { path: string; headers: Record<string, string> }[]
    }
    expect(
      requests.some(
        (r) =>
          r.path === '/v1/chat/completions' && r.headers.authorization === 'Bearer sk-official-1',
      ),
    ).toBe(true)
  })
})
