import { env } from 'cloudflare:test'
import { expect, it } from 'vitest'
import { DEDUPE_WINDOW_MS, expireDeliveryKeys } from './expire-delivery-keys'

it('drops delivery ids older than the dedupe window and keeps the rest', async () => {
  const now = Date.now()
  await env.DB.batch([
    env.DB.prepare("INSERT INTO ingest_keys VALUES ('wf_x', 'old', 'r1', ?)").bind(
      now - DEDUPE_WINDOW_MS - 1,
    ),
    env.DB.prepare("INSERT INTO ingest_keys VALUES ('wf_x', 'fresh', 'r2', ?)").bind(now - 1000),
  ])
  expect(await expireDeliveryKeys(env.DB, now)).toBe(1)
  const { results } = await env.DB.prepare(
    "SELECT key FROM ingest_keys WHERE workflow_id = 'wf_x'",
  ).all()
  expect(results).toEqual([{ key: 'fresh' }])
})
