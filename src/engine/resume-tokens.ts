import { storedResumeKey } from '../store/resume-state'
import { getRun } from '../store/runs'
import { resumeKeyOf } from './resume-key'
import { decisionToken, RESUME_PREFIX, resumeToken } from './resume-url'

/**
 * What a step's recorded config holds instead of a resume token: a step that sent the link has
 * `.../hooks/resume/<run>/<node>/[resume-token]` in its config in D1, so a D1 export holds no
 * link that answers a wait. Reads for the run's owner (GET /api/runs/:id, the run page) put the
 * token back, made again from the Worker's secret (showResumeTokens).
 */
export const RESUME_TOKEN_MARK = '[resume-token]'

/** `text` with each of these resume tokens (their 22-character MACs) replaced by the mark. */
export function hideResumeTokens(text: string, macs: Iterable<string>): string {
  for (const mac of macs) if (text.includes(mac)) text = text.split(mac).join(RESUME_TOKEN_MARK)
  return text
}

const MARKED = new RegExp(
  `${RESUME_PREFIX}/([\\w-]+)/([a-z][a-z0-9_-]{0,63})/${escaped(RESUME_TOKEN_MARK)}(?:_([a-z][a-z0-9-]{0,31}))?`,
  'g',
)

/** A run as GET /api/runs/:id shows it: its steps' configs with their resume URLs whole. */
export async function runWithResumeUrls(db: D1Database, keySlots: object, runId: string) {
  const run = await getRun(db, runId)
  if (!run || !run.steps.some((s) => JSON.stringify(s.config)?.includes(RESUME_TOKEN_MARK)))
    return run
  const stored = await storedResumeKey(db, runId)
  if (!stored) return run
  let key: string
  try {
    key = await resumeKeyOf(keySlots, runId, stored)
  } catch {
    // The key slot that made them is gone: the links no longer work, the mark stays.
    return run
  }
  const steps = await Promise.all(
    run.steps.map(async (step) => ({
      ...step,
      config: await showResumeTokens(step.config, key, runId),
    })),
  )
  return { ...run, steps }
}

/** Puts the run's own tokens back in place of the mark; a mark naming another run stays. */
async function showResumeTokens(value: unknown, key: string, runId: string): Promise<unknown> {
  if (typeof value === 'string') {
    if (!value.includes(RESUME_TOKEN_MARK)) return value
    const tokens = new Map<string, string>()
    for (const [match, run, node, decision] of value.matchAll(MARKED)) {
      if (run !== runId || tokens.has(match)) continue
      const token = decision
        ? await decisionToken(key, runId, node!, decision)
        : await resumeToken(key, runId, node!)
      tokens.set(match, `${RESUME_PREFIX}/${runId}/${node}/${token}`)
    }
    return value.replace(MARKED, (match) => tokens.get(match) ?? match)
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => showResumeTokens(v, key, runId)))
  if (typeof value !== 'object' || value === null) return value
  const entries = await Promise.all(
    Object.entries(value).map(async ([name, field]) => [
      name,
      await showResumeTokens(field, key, runId),
    ]),
  )
  return Object.fromEntries(entries)
}

function escaped(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
