import { AutomateError } from '../errors'
import { decodePayload } from '../store/payloads'
import { readRunContext } from '../store/run-context'
import { configTemplates } from '../templates/check'
import { templateContext, type RunInfo, type TemplateContext } from '../templates/context'
import { fieldExpression, parseTemplate } from '../templates/parse'
import { addReferences, emptyReferences, type References } from '../templates/references'
import type { NodeDefinition, ResumeCall } from '../nodes/define-node'
import type { WorkflowNode } from '../workflow/definition'
import { runResumeKey } from '../store/resume-state'
import { freshResumeSalt, resumeKeyOf } from './resume-key'
import { decisionToken, resumeToken, resumeUrl } from './resume-url'
import { hideResumeTokens } from './resume-tokens'

/**
 * The template context of a run's steps. Outputs of steps this message runs are kept as they
 * finish, only for nodes a later node reads; outputs recorded by an earlier message (before a
 * crash, a budget or a delayed retry) are read back from D1 on first need, in one round trip and
 * only those referenced, so `steps.X` sees what it would in a run that never stopped.
 */
export type StepScope = {
  /** Whether the node at `index` needs a context at all (templates, if, forEach or code). */
  needsContext(index: number): boolean
  context(index: number, input: unknown): Promise<TemplateContext>
  /** A step succeeded with this output: kept when a later node reads it. */
  remember(index: number, output: unknown): void
  /** The resume URL and token of the resumable node at `index` (see resumeUrlAt). */
  resume(index: number): Promise<ResumeCall>
  /** `text` (a step's config, to record) with the resume tokens handed out here masked. */
  hideTokens(text: string): string
}

type ScopeRun = {
  runId: string
  workflowId: string
  /** The run's input column (inline JSON or a blob reference). */
  inputText: string | null
  nodes: WorkflowNode[]
  /** The first step this message runs: outputs before it are in D1. */
  firstIndex: number
  /** PUBLIC_URL: the origin of resume URLs, before the one the run was started on. */
  publicUrl?: string
  /** The Worker's env, for its encryption key slots: resume tokens are HMACs under them. */
  keySlots?: object
}

/** Each node's definition, by index: undefined for a type the registry does not know. */
type Definitions = readonly (NodeDefinition | undefined)[]

export function stepScope(db: D1Database, run: ScopeRun, definitions: Definitions): StepScope {
  const reads = run.nodes.map((node, index) => nodeReads(node, definitions[index]))
  const readLater = new Set<string>()
  let readAll = false
  for (const refs of reads.slice(run.firstIndex)) {
    if (refs.allSteps) readAll = true
    for (const id of refs.steps) readLater.add(id)
  }
  const outputs: Record<string, { output: unknown }> = {}
  let loaded: Promise<{ trigger: unknown; startedAt: string | null; input: unknown }> | undefined
  let resumeKey: Promise<string> | undefined
  /** The MACs of the resume tokens this scope made: masked in recorded configs. */
  const madeTokens = new Set<string>()

  const load = async () => {
    const earlier = run.nodes.slice(0, run.firstIndex).map((n) => n.id)
    const wanted = readAll ? 'all' : earlier.filter((id) => readLater.has(id))
    const read = await readRunContext(db, run.runId, run.firstIndex, earlier.length ? wanted : [])
    for (const row of read.outputs) {
      // A step this message has run since holds the same output; it was remembered already.
      if (!(row.node_id in outputs))
        outputs[row.node_id] = { output: await decodePayload(db, row.output) }
    }
    return {
      trigger: read.trigger,
      startedAt: read.startedAt ? new Date(read.startedAt).toISOString() : null,
      input: await decodePayload(db, run.inputText),
    }
  }

  /**
   * The resume URL of the wait-for-webhook node this step leads to: the first resumable node at
   * or after it. Built only for a step that reads it (or is that node), so no other step pays
   * for the key's round trip.
   */
  const resumeUrlAt = async (index: number, trigger: unknown): Promise<ResumeCall> => {
    const here = run.nodes[index]!.id
    const at = definitions.findIndex((definition, i) => i >= index && isResumable(definition))
    const wait = at < 0 ? undefined : run.nodes[at]
    if (!wait) {
      throw new AutomateError(
        'RESUME_URL_UNAVAILABLE',
        `run.resumeUrl: no wait-for-webhook node runs at or after node '${here}', so there is ` +
          'no wait to resume; put one after this node',
        { retryable: false },
      )
    }
    const origin = run.publicUrl || triggerOrigin(trigger)
    if (!origin) {
      throw new AutomateError(
        'RESUME_URL_UNAVAILABLE',
        'run.resumeUrl: this run did not start from an HTTP request, so the public URL of ' +
          'AutomateOS is unknown; set the PUBLIC_URL variable (e.g. https://automateos.example.com)',
        { retryable: false },
      )
    }
    resumeKey ??= (async () => {
      const keySlots = run.keySlots ?? {}
      const stored = await runResumeKey(db, run.runId, await freshResumeSalt(keySlots))
      if (!stored) throw new Error(`run ${run.runId} has no row to keep its resume key in`)
      return resumeKeyOf(keySlots, run.runId, stored)
    })()
    const key = await resumeKey
    const token = await resumeToken(key, run.runId, wait.id)
    madeTokens.add(token)
    const call: ResumeCall = {
      url: resumeUrl(origin, { runId: run.runId, nodeId: wait.id, token }),
      token,
    }
    const decisions = wait.config?.decisions
    if (Array.isArray(decisions)) {
      call.decisionUrls = {}
      for (const decision of decisions.filter((d): d is string => typeof d === 'string')) {
        const own = await decisionToken(key, run.runId, wait.id, decision)
        madeTokens.add(own.slice(0, own.length - decision.length - 1))
        call.decisionUrls[decision] = resumeUrl(origin, {
          runId: run.runId,
          nodeId: wait.id,
          token: own,
        })
      }
    }
    return call
  }
  const resumes = new Map<number, Promise<ResumeCall>>()
  const resumeAt = async (index: number) => {
    const { trigger } = await (loaded ??= load())
    let resume = resumes.get(index)
    if (!resume) resumes.set(index, (resume = resumeUrlAt(index, trigger)))
    return resume
  }

  return {
    needsContext: (index) => reads[index]!.needed,
    async context(index, input) {
      loaded ??= load()
      const { trigger, startedAt, input: runInput } = await loaded
      const info: RunInfo = {
        id: run.runId,
        workflowId: run.workflowId,
        startedAt,
        input: runInput,
      }
      if (reads[index]!.resumeUrl) {
        const resume = await resumeAt(index)
        info.resumeUrl = resume.url
        if (resume.decisionUrls) info.decisionUrls = resume.decisionUrls
      }
      return templateContext({ input, trigger, steps: { ...outputs }, run: info })
    },
    remember(index, output) {
      const id = run.nodes[index]!.id
      if (readAll || readLater.has(id)) outputs[id] = { output }
    },
    resume: resumeAt,
    hideTokens: (text) => hideResumeTokens(text, madeTokens),
  }
}

type NodeReads = References & { needed: boolean }

/** What one node's templates, if, forEach and code read of the context. */
export function nodeReads(node: WorkflowNode, definition: NodeDefinition | undefined): NodeReads {
  const refs = emptyReferences()
  let needed = false
  // An unknown type (no definition) fails its step when it runs; it reads nothing meanwhile.
  const verbatim = definition?.verbatimFields ?? []
  if (isResumable(definition)) {
    // A wait-for-webhook node takes its own URL's token from its context.
    needed = true
    refs.resumeUrl = true
  }
  for (const { text } of configTemplates(node.config, verbatim, [])) {
    needed = true
    const parsed = parseTemplate(text)
    if (!parsed.ok) continue
    for (const segment of parsed.segments)
      if (segment.kind === 'expr') safeAdd(refs, segment.source)
  }
  for (const text of [node.if, node.forEach]) {
    if (typeof text !== 'string') continue
    needed = true
    const expression = fieldExpression(text)
    if (expression.ok) safeAdd(refs, expression.source)
  }
  for (const key of verbatim) {
    // Code hands the whole context to the user: read the ids its source spells out.
    needed = true
    const source = node.config[key]
    if (typeof source === 'string') addCodeReferences(refs, source)
  }
  return { ...refs, needed }
}

function safeAdd(refs: References, source: string) {
  try {
    addReferences(refs, source)
  } catch {
    // A syntax error is reported when the step fills its templates in.
  }
}

/**
 * `context.steps.lookup`, `steps['look-up']`: ids a code body names. Any other use of `steps`
 * (destructuring it, `steps[name]`) may read any of them, so then all earlier outputs load.
 */
export function addCodeReferences(refs: References, source: string): References {
  const named = /\bsteps\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['"])([^'"\\]+)\2\s*\])/g
  let spelled = 0
  for (const match of source.matchAll(named)) {
    refs.steps.add(match[1] ?? match[3]!)
    spelled++
  }
  const mentions = source.match(/\bsteps\b/g)?.length ?? 0
  if (mentions > spelled) refs.allSteps = true
  if (/\b(?:resumeUrl|decisionUrls)\b/.test(source)) refs.resumeUrl = true
  return refs
}

/** A node that waits for its resume URL (wait-for-webhook): the one `run.resumeUrl` points to. */
export function isResumable(definition: NodeDefinition | undefined) {
  return definition?.resumable === true
}

/** The origin a webhook or manual start was received on (recorded on the run's trigger). */
function triggerOrigin(trigger: unknown): string | undefined {
  const origin = (trigger as { origin?: unknown } | null)?.origin
  return typeof origin === 'string' && origin !== '' ? origin : undefined
}
