import { z } from 'zod'
import { listCredentials } from '../../../credentials/store'
import { describeNode, listNodes } from '../../../nodes/registry'
import { getRun, listRuns } from '../../../store/runs'
import { getSample } from '../../../store/samples'
import { lastStepTests } from '../../../store/step-tests'
import { workflowSchema } from '../../../workflow/definition'
import { triggerSchema } from '../../../workflow/trigger'

/** Recent runs the sample panel offers, newest first. */
const SAMPLE_RUNS = 5

/** A run as the sample panel reads it: its input, and each step's output by node id. */
export type RunSample = {
  runId: string
  label: string
  input: unknown
  steps: Record<string, { output: unknown }>
}

/**
 * What the form editor builds itself from (src/http/admin/browser/builder/): the node types with
 * their config's JSON Schema, the trigger's schema (every trigger type, so a new one shows up as
 * a form with no page change), the stored credentials (names and types only), recent runs as
 * samples, and the errors of a refused save, by field path.
 */
export async function builderData(
  db: D1Database,
  options: { workflowId?: string; errors?: { path?: string; message: string }[] },
) {
  const [credentials, samples, pinned, tests] = await Promise.all([
    listCredentials(db),
    options.workflowId ? recentSamples(db, options.workflowId) : [],
    options.workflowId ? getSample(db, options.workflowId) : undefined,
    options.workflowId ? lastStepTests(db, options.workflowId) : undefined,
  ])
  return {
    nodes: listNodes().map(describeNode),
    trigger: jsonSchema(triggerSchema),
    workflow: jsonSchema(workflowSchema),
    credentials: credentials.map(({ name, type }) => ({ name, type })),
    samples,
    /** The pinned test payload (GET /api/workflows/:id/sample), for the sample panel. */
    pinned: pinned ? { input: pinned.input } : null,
    /** Where the sample panel pins a payload; none for a workflow not saved yet. */
    pinUrl: options.workflowId
      ? `/admin/workflows/${encodeURIComponent(options.workflowId)}/sample`
      : null,
    /** Where "Test this step" posts; null for a workflow not saved yet. */
    testUrl: options.workflowId
      ? `/admin/workflows/${encodeURIComponent(options.workflowId)}/test-step`
      : null,
    /** Each node's last "Test this step", by node id, for its card (verdicts only). */
    lastTests: Object.fromEntries(
      Object.entries(tests ?? {}).map(([nodeId, t]) => [
        nodeId,
        {
          status: t.status,
          error: t.status === 'failed' ? { code: t.errorCode, message: t.errorMessage } : null,
          durationMs: t.durationMs,
          testedAt: t.testedAt,
        },
      ]),
    ),
    errors: (options.errors ?? [])
      .filter((e) => e.path)
      .map(({ path, message }) => ({ path, message })),
  }
}

async function recentSamples(db: D1Database, workflowId: string): Promise<RunSample[]> {
  const { runs } = await listRuns(db, { workflowId, limit: SAMPLE_RUNS })
  const loaded = await Promise.all(runs.map((run) => getRun(db, run.id)))
  return loaded.flatMap((run) =>
    run
      ? [
          {
            runId: run.id,
            label: `${run.createdAt ?? ''} · ${run.status}`,
            input: run.input,
            steps: Object.fromEntries(
              run.steps
                .filter((step) => step.status !== 'failed')
                .map((step) => [step.nodeId, { output: step.output }]),
            ),
          },
        ]
      : [],
  )
}

/** A schema's JSON Schema with a top-level `$ref` (a schema with a meta id) resolved. */
function jsonSchema(schema: z.ZodType) {
  const { $ref, $defs, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
  const name = typeof $ref === 'string' ? $ref.replace('#/$defs/', '') : undefined
  const root = name && $defs?.[name] ? $defs[name] : rest
  return { ...(root as object), $defs }
}
