import { z } from 'zod'
import { MAX_KEY_CHARS, MAX_TTL_SECONDS, SHARED_NAMESPACE, type MemoryEntry } from './node-memory'

// The config fields the memory nodes (memory-get, memory-set, memory-increment, dedupe) share,
// so each says the limits once and the same way.

export const memoryKey = () =>
  z
    .string()
    .min(1, 'a memory key may not be empty')
    .max(MAX_KEY_CHARS, `a memory key is at most ${MAX_KEY_CHARS} characters`)
    .describe('The key, usually a template: customer:{{ input.customerId }}')

export const memoryNamespace = () =>
  z
    .string()
    .regex(SHARED_NAMESPACE, 'a namespace is "shared:" and a name of letters, digits, _ . : -')
    .optional()
    .describe(
      "Leave out for this workflow's own memory; shared:<name> for memory any workflow naming it sees",
    )

export const memoryTtl = (what: string) =>
  z
    .number()
    .positive()
    .max(MAX_TTL_SECONDS, `at most ${MAX_TTL_SECONDS} seconds (10 years)`)
    .optional()
    .describe(what)

export const memoryWindow = () =>
  z
    .number()
    .positive()
    .max(MAX_TTL_SECONDS, `at most ${MAX_TTL_SECONDS} seconds (10 years)`)
    .describe('How long a seen key keeps later runs out: 86400 for a day')

/** What memory-get, memory-set and memory-increment output for a stored entry. */
export function entryOutput(entry: MemoryEntry) {
  const { key, value, expiresAt } = entry
  return { key, value, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() }
}
