import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin } from '../../test/helpers'
import { SAMPLE_CREDENTIALS } from '../../test/sample-credentials'
import { readCredential } from '../credentials/read-credential'
import { sampleCredentialData } from '../credentials/types'
import type { Env } from '../env'
import { TRIGGER_MODULES } from '../generated/trigger-registry'
import type { PollTriggerDefinition } from './define-trigger'
import { describePollTrigger, findPollTrigger, listPollTriggers } from './registry'

const entries = Object.entries(TRIGGER_MODULES as Record<string, PollTriggerDefinition>)

/** The sample's config with a stored credential of the trigger's first type, when it has one. */
async function sampleConfig(trigger: PollTriggerDefinition) {
  const type = trigger.credentialTypes?.[0]
  const config = trigger.sample.config
  if (!type || !('credential' in trigger.config.shape) || !('credential' in config)) return config
  const data = trigger.sample.credential?.data ?? sampleCredentialData(type)
  if (!data) return { ...config, credential: await SAMPLE_CREDENTIALS[type]!() }
  const name = `sample-trigger-${trigger.type}`
  const stored = await admin('/api/credentials', {
    method: 'POST',
    json: { name, type, data, baseUrl: trigger.sample.credential?.baseUrl },
  })
  expect([201, 409]).toContain(stored.status)
  return { ...config, credential: name }
}

/**
 * What every polling trigger owes the poller and the builder, registered once per trigger: a
 * file in triggers/ is held to it without anyone adding a test.
 */
function triggerContract(fileName: string, trigger: PollTriggerDefinition) {
  it('has a kebab-case type equal to its file name, and the registry finds it', () => {
    expect(trigger.type).toBe(fileName)
    expect(trigger.type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
    expect(findPollTrigger(trigger.type)).toBe(trigger)
  })

  it('has a title and a description a catalogue can show', () => {
    expect(trigger.title.trim()).not.toBe('')
    expect(trigger.description.trim().length).toBeGreaterThanOrEqual(20)
  })

  it('describes its config as a JSON Schema object naming the same fields', () => {
    const { configSchema } = describePollTrigger(trigger)
    expect(configSchema.type).toBe('object')
    const properties = (configSchema.properties ?? {}) as Record<string, unknown>
    expect(Object.keys(properties).sort()).toEqual(Object.keys(trigger.config.shape).sort())
    expect(JSON.parse(JSON.stringify(configSchema))).toEqual(configSchema)
  })

  it('takes a baseline on its sample, then polls from it, in JSON', async () => {
    const config = trigger.config.parse(await sampleConfig(trigger))
    const context = (cursor: unknown, baselineOnly: boolean) => ({
      config,
      cursor,
      baselineOnly,
      limit: 100,
      credential: () =>
        readCredential(
          env as Env,
          (config as { credential: string }).credential,
          trigger.credentialTypes ?? [],
        ),
      signal: AbortSignal.timeout(30_000),
      now: Date.now(),
    })
    const baseline = await trigger.poll(context(null, true))
    expect(baseline.items).toEqual([])
    const cursor = baseline.cursorAfter(0)
    expect(JSON.parse(JSON.stringify(cursor))).toEqual(cursor)
    const next = await trigger.poll(context(cursor, false))
    expect(next.items).toEqual([])
    expect(next.cursorAfter(0)).toEqual(cursor)
  })
}

describe('trigger registry', () => {
  it('holds the built-in polling triggers, each once', () => {
    expect(entries.map(([key]) => key).sort()).toEqual([
      'google-sheets-new-rows',
      'http-poll',
      'notion-changed-pages',
    ])
    expect(listPollTriggers()).toHaveLength(entries.length)
  })

  it('is listed at GET /api/triggers with each config schema', async () => {
    const response = await admin('/api/triggers')
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      triggers: { type: string; credentialTypes: string[] }[]
    }
    expect(body.triggers.map((t) => [t.type, t.credentialTypes])).toEqual(
      expect.arrayContaining([
        ['notion-changed-pages', ['notion', 'oauth2']],
        ['google-sheets-new-rows', ['google-service-account', 'oauth2']],
        [
          'http-poll',
          ['http-bearer', 'http-basic', 'http-header', 'http-query', 'http-oauth2-client'],
        ],
      ]),
    )
  })
})

for (const [fileName, trigger] of entries) {
  describe(`trigger ${fileName}`, () => triggerContract(fileName, trigger))
}
