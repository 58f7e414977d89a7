import { eq } from 'drizzle-orm'
import { workflowSamples } from '../db/schema'
import { AutomateError } from '../errors'
import { database } from './db'

/** Characters of a pinned payload's JSON: a test payload, not a bulk upload. */
export const MAX_SAMPLE_CHARS = 256 * 1024

export type PinnedSample = { input: unknown; updatedAt: number }

/** The workflow's pinned test payload, or undefined when none was pinned. */
export async function getSample(d1: D1Database, workflowId: string) {
  const [row] = await database(d1)
    .select()
    .from(workflowSamples)
    .where(eq(workflowSamples.workflowId, workflowId))
  return row ? { input: JSON.parse(row.input), updatedAt: row.updatedAt } : undefined
}

/** Pins `input` as the workflow's test payload, replacing the one before. */
export async function pinSample(
  d1: D1Database,
  workflowId: string,
  input: unknown,
  now = Date.now(),
): Promise<PinnedSample> {
  const text = JSON.stringify(input ?? {})
  if (text.length > MAX_SAMPLE_CHARS) {
    throw new AutomateError(
      'VALIDATION_FAILED',
      `The test payload is ${text.length} characters of JSON; at most ${MAX_SAMPLE_CHARS} can be pinned`,
      {
        status: 400,
        details: [{ path: 'input', message: `at most ${MAX_SAMPLE_CHARS} characters of JSON` }],
      },
    )
  }
  await database(d1)
    .insert(workflowSamples)
    .values({ workflowId, input: text, updatedAt: now })
    .onConflictDoUpdate({
      target: workflowSamples.workflowId,
      set: { input: text, updatedAt: now },
    })
  return { input: JSON.parse(text), updatedAt: now }
}

/** The delete that goes in the batch deleting the workflow. */
export function deleteSample(db: ReturnType<typeof database>, workflowId: string) {
  return db.delete(workflowSamples).where(eq(workflowSamples.workflowId, workflowId))
}
