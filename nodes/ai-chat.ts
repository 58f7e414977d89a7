import { z } from 'zod'
import { chatCompletion, openai } from '../src/clients/openai'
import { AutomateError, defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'ai-chat',
  title: 'AI chat',
  description:
    'Asks a chat model (OpenAI or any OpenAI-compatible server) and returns its answer; with ' +
    'json, the answer is parsed into the output and the step fails when it is not JSON.',
  sample: {
    config: {
      credential: 'openai',
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      prompt: 'Say hello',
    },
    input: {},
  },
  service: openai,
  config: z.object({
    model: z.string().min(1).max(200).describe('e.g. gpt-4o-mini, @cf/meta/llama-3.1-8b-instruct'),
    system: z.string().max(100_000).optional().describe('The system message'),
    prompt: z.string().min(1).max(200_000).describe('The user message'),
    json: z
      .boolean()
      .default(false)
      .describe('Ask for a JSON object (JSON mode) and parse it into the output'),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(1_000_000).optional(),
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
        max_tokens: config.maxTokens,
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

function parseJson(text: string, finishReason: string) {
  // Some servers wrap JSON mode answers in a Markdown fence all the same.
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1')
  try {
    return JSON.parse(unfenced)
  } catch (error) {
    const cut = finishReason === 'length' ? ' (the answer was cut off at maxTokens)' : ''
    throw new AutomateError('AI_ANSWER_NOT_JSON', `The model's answer is not JSON${cut}`, {
      retryable: finishReason !== 'length',
      cause: error,
      details: { answer: text.slice(0, 500), finishReason },
    })
  }
}
