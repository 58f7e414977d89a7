import { z } from 'zod'
import { chatCompletion, openai, REASONING_EFFORTS } from '../src/clients/openai'
import { AutomateError, defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'ai-chat',
  title: 'AI chat',
  description:
    'Asks a chat model (OpenAI, Azure OpenAI or any OpenAI-compatible server) and returns its ' +
    'answer; with json, the answer is parsed into the output and the step fails when it holds no JSON.',
  sample: {
    config: {
      credential: 'openai',
      model: 'gpt-5-mini',
      system: 'Be brief.',
      prompt: 'Say hello',
    },
    input: {},
  },
  service: openai,
  // A long answer from a reasoning model takes minutes, not the 30 s other nodes get.
  timeoutMs: 120_000,
  // A call cut off by the timeout may still be billed in full: trying again pays twice.
  retriesTimeouts: (config) => config.retryOnTimeout === true,
  config: z
    .object({
      model: z.string().min(1).max(200).describe('e.g. gpt-5-mini, @cf/meta/llama-3.1-8b-instruct'),
      system: z.string().max(100_000).optional().describe('The system message'),
      prompt: z.string().min(1).max(200_000).describe('The user message'),
      json: z
        .boolean()
        .default(false)
        .describe('Ask for a JSON object (JSON mode) and parse it into the output'),
      temperature: z
        .number()
        .min(0)
        .max(2)
        .optional()
        .describe('Sent only when set; o1, o3, o4-mini and gpt-5 accept only the default (1)'),
      reasoningEffort: z
        .enum(REASONING_EFFORTS)
        .optional()
        .describe("Sent as reasoning_effort; gpt-5.1 and later take temperature only with 'none'"),
      maxTokens: z.number().int().min(1).max(1_000_000).optional(),
      maxTokensField: z
        .enum(['max_completion_tokens', 'max_tokens'])
        .optional()
        .describe(
          'The field maxTokens is sent as: max_completion_tokens (the default, which OpenAI, Azure, ' +
            'Anthropic and Groq take) or max_tokens (for servers that only know that one, as Ollama)',
        ),
      retryOnTimeout: z
        .boolean()
        .optional()
        .describe('Let the retry policy retry a call that timed out (it may have been billed)'),
    })
    .superRefine((config, ctx) => {
      const problem = temperatureProblem(config)
      if (problem) ctx.addIssue({ code: 'custom', path: ['temperature'], message: problem })
    }),
  async run(_input, ctx) {
    const { config } = ctx
    const messages: { role: 'system' | 'user'; content: string }[] = []
    // OpenAI refuses JSON mode unless a message asks for JSON, so JSON mode says it once.
    const system = config.json
      ? [config.system, 'Answer with one JSON object.'].filter(Boolean).join('\n\n')
      : config.system
    if (system) messages.push({ role: 'system', content: system })
    messages.push({ role: 'user', content: config.prompt })
    const completion = await chatCompletion(
      await ctx.credential(),
      {
        model: config.model,
        messages,
        temperature: config.temperature,
        reasoning_effort: config.reasoningEffort,
        [config.maxTokensField ?? 'max_completion_tokens']: config.maxTokens,
        response_format: config.json ? { type: 'json_object' } : undefined,
      },
      ctx.signal,
    )
    const choice = completion.choices?.[0]
    const text = choice?.message?.content
    if (typeof text !== 'string') {
      throw new AutomateError('AI_NO_ANSWER', 'The model answered without any content', {
        details: { finishReason: choice?.finish_reason ?? null },
      })
    }
    const result = {
      model: completion.model,
      finishReason: choice!.finish_reason,
      usage: completion.usage ?? null,
    }
    if (!config.json) return { answer: text, ...result }
    return { answer: parseJson(text, choice!.finish_reason), ...result }
  },
})

/**
 * Why the model refuses this temperature, if it does. OpenAI's reasoning models (o1, o3, o4-mini)
 * take only the default (https://platform.openai.com/docs/guides/reasoning#limitations), as do
 * gpt-5, gpt-5-mini and gpt-5-nano; gpt-5.1 and later take one only with reasoning effort `none`
 * (https://developers.openai.com/api/docs/guides/latest-model#gpt-54-parameter-compatibility).
 * gpt-5-chat-latest is not a reasoning model and takes any. A router's provider prefix
 * (openai/gpt-5 on OpenRouter) is not part of the name.
 */
function temperatureProblem(config: {
  model: string
  temperature?: number
  reasoningEffort?: string
}) {
  if (config.temperature === undefined || config.temperature === 1) return undefined
  const model = config.model.split('/').at(-1)!.toLowerCase()
  if (/^gpt-5(\.\d+)?-chat/.test(model)) return undefined
  if (/^o\d+(-|$)/.test(model) || /^gpt-5(-|$)/.test(model)) {
    return `${config.model} accepts only the default temperature (1): leave temperature out`
  }
  if (/^gpt-5\.\d+/.test(model) && config.reasoningEffort !== 'none') {
    return (
      `${config.model} accepts a temperature only with reasoningEffort 'none': ` +
      'set that, or leave temperature out'
    )
  }
  return undefined
}

function parseJson(text: string, finishReason: string) {
  const found = extractJson(text)
  if (found.ok) return found.value
  const cut = finishReason === 'length' ? ' (the answer was cut off at maxTokens)' : ''
  throw new AutomateError('AI_ANSWER_NOT_JSON', `The model's answer holds no JSON${cut}`, {
    retryable: finishReason !== 'length',
    cause: found.error,
    details: { answer: text.slice(0, 500), finishReason },
  })
}

/**
 * The JSON in an answer: the whole answer, else the first fenced block that parses, else the
 * object from its first `{` to its last `}`. Servers that ignore JSON mode (Anthropic's
 * compatibility endpoint: https://docs.claude.com/en/api/openai-sdk) answer "Here it is:" and a
 * ```json block.
 */
function extractJson(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  const candidates = [text.trim()]
  for (const match of text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)) candidates.push(match[1]!.trim())
  const start = text.indexOf('{')
  const end = text.lastIndexOf('}')
  if (start !== -1 && end > start) candidates.push(text.slice(start, end + 1))
  let error: unknown
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) }
    } catch (thrown) {
      error ??= thrown
    }
  }
  return { ok: false, error }
}
