import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import { admin } from '../test/helpers'
import { readCredential } from '../src/credentials/read-credential'
import { runNode as runStep, stepTimeoutMs } from '../src/engine/run-node'
import { getNode } from '../src/nodes/registry'
import triage from '../examples/support-triage-with-ai.json'
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

type Received = Awaited<ReturnType<ReturnType<typeof fakeApp>['received']>>['requests'][number]

async function lastRequest(app: ReturnType<typeof fakeApp>): Promise<Received> {
  return (await app.received()).requests.at(-1)!
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
    const request = await lastRequest(openai)
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
        max_completion_tokens: 50,
      },
    })
    expect(request.body).not.toHaveProperty('max_tokens')
    expect(request.body).not.toHaveProperty('response_format')
    expect(request.headers.authorization).toBe('Bearer sk-test-123')
    expect(output).toEqual({
      answer: 'You said: Say hi',
      model: 'gpt-4o-mini',
      finishReason: 'stop',
      usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
    })
  })

  it('asks a reasoning model with max_completion_tokens, and sends no temperature unset', async () => {
    const { openai, credential } = await server()
    for (const model of ['gpt-5-mini', 'o4-mini', 'o3', 'gpt-5.4']) {
      const output = (await runNode(aiChat, {
        credential,
        model,
        prompt: 'hi',
        maxTokens: 900,
      })) as {
        answer: string
      }
      expect(output.answer).toBe('You said: hi')
      const request = await lastRequest(openai)
      expect(request.body).toEqual({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 900,
      })
    }
  })

  it('sends max_tokens instead when maxTokensField says so (servers that know only that)', async () => {
    const { openai, credential } = await server()
    await runNode(aiChat, {
      credential,
      model: 'llama3.2',
      prompt: 'hi',
      maxTokens: 64,
      maxTokensField: 'max_tokens',
    })
    const request = await lastRequest(openai)
    expect(request.body).toMatchObject({ max_tokens: 64 })
    expect(request.body).not.toHaveProperty('max_completion_tokens')
  })

  it('refuses at save a temperature a reasoning model does not take, naming the field', async () => {
    const save = (config: Record<string, unknown>) =>
      admin('/api/workflows', {
        method: 'POST',
        json: {
          name: 'ai',
          nodes: [
            { id: 'shape', type: 'transform', config: { expression: '$' } },
            {
              id: 'ask',
              type: 'ai-chat',
              config: { credential: 'openai', prompt: 'x', ...config },
            },
          ],
        },
      })
    for (const model of ['o1', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-nano', 'openai/gpt-5-mini']) {
      const response = await save({ model, temperature: 0 })
      expect(response.status, model).toBe(400)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('VALIDATION_FAILED')
      expect(JSON.stringify(body)).toContain('nodes.1.config.temperature')
      expect(JSON.stringify(body)).toContain('accepts only the default temperature (1)')
    }
    const later = await save({ model: 'gpt-5.4', temperature: 0.2 })
    expect(later.status).toBe(400)
    expect(JSON.stringify(await later.json())).toContain("only with reasoningEffort 'none'")
    // The default itself, a model that is no reasoning model, and gpt-5.1+ without reasoning.
    for (const config of [
      { model: 'o3', temperature: 1 },
      { model: 'gpt-5-chat-latest', temperature: 0 },
      { model: 'gpt-4.1', temperature: 0 },
      { model: 'gpt-5.4', temperature: 0, reasoningEffort: 'none' },
    ]) {
      expect((await save(config)).status, config.model).toBe(201)
    }
  })

  it('sends a temperature to gpt-5.1 and later with reasoning_effort none, as OpenAI allows', async () => {
    const { openai, credential } = await server()
    await runNode(aiChat, {
      credential,
      model: 'gpt-5.4',
      prompt: 'hi',
      temperature: 0.2,
      reasoningEffort: 'none',
    })
    expect((await lastRequest(openai)).body).toMatchObject({
      temperature: 0.2,
      reasoning_effort: 'none',
    })
  })

  it('keeps the shipped example working when its model is a current one', async () => {
    const { credential } = await server()
    const classify = triage.nodes.find((n) => n.type === 'ai-chat')!
    for (const model of [classify.config.model, 'gpt-5-mini', 'o4-mini']) {
      const output = (await runNode(aiChat, {
        ...classify.config,
        credential,
        model,
        prompt: 'json: {"urgency": "high", "summary": "Cannot log in"}',
      })) as { answer: unknown }
      expect(output.answer).toEqual({ urgency: 'high', summary: 'Cannot log in' })
    }
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
    const request = await lastRequest(openai)
    expect(request.body).toMatchObject({
      response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'Answer with one JSON object.' }, { role: 'user' }],
    })
  })

  it("finds the JSON in an answer that wraps it in prose and a fence (Anthropic's endpoint)", async () => {
    const anthropic = fakeApp('anthropic')
    const credential = await createCredential(
      'openai-compatible',
      { apiKey: 'sk-ant-test' },
      { baseUrl: anthropic.url('/v1') },
    )
    const output = (await runNode(aiChat, {
      credential,
      model: 'claude-sonnet-4-5',
      prompt: 'json: {"urgency": "low", "tags": ["billing"]}',
      json: true,
      maxTokens: 500,
    })) as { answer: unknown }
    expect(output.answer).toEqual({ urgency: 'low', tags: ['billing'] })
    const request = await lastRequest(anthropic)
    expect(request.path).toBe('/v1/chat/completions')
    expect(request.body).toMatchObject({ max_completion_tokens: 500 })
  })

  it('finds a bare JSON object between sentences', async () => {
    const { credential } = await server()
    const output = (await runNode(aiChat, {
      credential,
      model: 'm',
      prompt: 'json: Sure! {"ok": true, "n": {"a": 1}} Anything else?',
      json: true,
    })) as { answer: unknown }
    expect(output.answer).toEqual({ ok: true, n: { a: 1 } })
  })

  it('fails in JSON mode when the answer holds no JSON', async () => {
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

  it("waits as OpenAI's rate limit answer says", async () => {
    const { credential } = await server('sk-rate-limited')
    const error = await nodeFailure(aiChat, { credential, model: 'gpt-4o-mini', prompt: 'x' })
    expect(error).toMatchObject({ code: 'AI_ERROR', retryable: true, retryAfterMs: 2000 })
    expect(error.message).toMatch(/^AI 429: Rate limit reached for gpt-4o-mini/)
  })

  it('fails for good, saying so, when the account is out of quota (a 429 too)', async () => {
    const { credential } = await server('sk-no-quota')
    const error = await nodeFailure(aiChat, { credential, model: 'gpt-4o-mini', prompt: 'x' })
    expect(error).toMatchObject({ code: 'AI_ERROR', retryable: false, details: { status: 429 } })
    expect(error.retryAfterMs).toBeUndefined()
    expect(error.message).toContain('insufficient_quota')
    expect(error.message).toContain('billing')
  })

  it('calls an Azure OpenAI deployment with its api-key header and api-version', async () => {
    const azure = fakeApp('azure-openai')
    const credential = await createCredential(
      'openai-compatible',
      { apiKey: 'azure-key-1', apiKeyHeader: 'api-key', apiVersion: '2024-10-21' },
      { baseUrl: azure.url('/openai/deployments/support-gpt') },
    )
    const output = (await runNode(aiChat, {
      credential,
      model: 'gpt-4o',
      prompt: 'hi',
      maxTokens: 10,
    })) as { answer: string }
    expect(output.answer).toBe('You said: hi')
    const request = await lastRequest(azure)
    expect(request.path).toBe('/openai/deployments/support-gpt/chat/completions')
    expect(request.query).toEqual({ 'api-version': '2024-10-21' })
    expect(request.headers['api-key']).toBe('azure-key-1')
    expect(request.headers).not.toHaveProperty('authorization')
    expect(request.body).toMatchObject({ max_completion_tokens: 10 })
  })

  it("fails on Azure without an api-version with Azure's own answer", async () => {
    const azure = fakeApp('azure-openai')
    const credential = await createCredential(
      'openai-compatible',
      { apiKey: 'azure-key-1', apiKeyHeader: 'api-key' },
      { baseUrl: azure.url('/openai/deployments/support-gpt') },
    )
    const error = await nodeFailure(aiChat, { credential, model: 'gpt-4o', prompt: 'hi' })
    expect(error).toMatchObject({ code: 'AI_ERROR', retryable: false })
    expect(error.message).toMatch(/^AI 404: Resource not found/)
  })

  it("honours Azure's retry-after-ms (1.5 s) before its retry-after (2 s) on a 429", async () => {
    const azure = fakeApp('azure-openai')
    const credential = await createCredential(
      'openai-compatible',
      { apiKey: 'azure-rate-limited', apiKeyHeader: 'api-key', apiVersion: '2024-10-21' },
      { baseUrl: azure.url('/openai/deployments/support-gpt') },
    )
    const error = await nodeFailure(aiChat, { credential, model: 'gpt-4o', prompt: 'hi' })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1500 })
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

describe('ai-chat timeouts', () => {
  it('gets 120 s when its step sets no timeoutMs, and the step its own when it does', () => {
    expect(stepTimeoutMs(getNode('ai-chat'), { id: 'a', type: 'ai-chat', config: {} })).toBe(
      120_000,
    )
    expect(
      stepTimeoutMs(getNode('ai-chat'), { id: 'a', type: 'ai-chat', config: {}, timeoutMs: 5000 }),
    ).toBe(5000)
    expect(stepTimeoutMs(getNode('transform'), { id: 'a', type: 'transform', config: {} })).toBe(
      30_000,
    )
  })

  async function timedOut(config: Record<string, unknown>, expectedCalls: number) {
    const openai = fakeApp('openai')
    await openai.program([
      { path: '/v1/chat/completions', responses: [{ status: 200, body: {}, gate: 'never' }] },
    ])
    const credential = await createCredential(
      'openai-compatible',
      { apiKey: 'sk-slow' },
      { baseUrl: openai.url('/v1') },
    )
    const outcome = await runStep({
      definition: getNode('ai-chat'),
      node: {
        id: 'ask',
        type: 'ai-chat',
        config: { credential, model: 'gpt-5', prompt: 'write a long essay', ...config },
        timeoutMs: 400,
        retry: { maxAttempts: 3, delayMs: 0, backoff: 'fixed' },
      },
      index: 0,
      input: null,
      runId: 'run-timeout',
      workflowId: 'wf-timeout',
      attemptsSoFar: 0,
      mustFinishBy: Date.now() + 60_000,
      credentials: (name, types) => readCredential(env, name, types),
    })
    await openai.waitForRequests(expectedCalls)
    await openai.release('never')
    return { outcome, calls: (await openai.received()).requests.length }
  }

  it('does not retry a call that timed out, which may have been billed, under a retry policy', async () => {
    const { outcome, calls } = await timedOut({}, 1)
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 1, error: { code: 'NODE_TIMEOUT' } })
    expect(outcome.kind === 'failed' && outcome.error.message).toContain('not retried')
    expect(calls).toBe(1)
  })

  it('retries a timed-out call when the author asks with retryOnTimeout', async () => {
    const { outcome, calls } = await timedOut({ retryOnTimeout: true }, 3)
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 3, error: { code: 'NODE_TIMEOUT' } })
    expect(calls).toBe(3)
  })
})
