/** What a template reads: `{{ input.id }}`, `{{ steps.lookup.output.email }}`, `{{ item.sku }}`. */
export type TemplateContext = {
  input: unknown
  trigger: unknown
  steps: Record<string, { output: unknown }>
  run: RunInfo
  item?: unknown
  index?: number
}

export type RunInfo = {
  id: string
  workflowId: string
  startedAt: string | null
  /** The run's input (the webhook body): reachable from any node, not only the first. */
  input?: unknown
  /**
   * The URL that resumes the wait-for-webhook node at or after this step (src/engine/resume-url.ts),
   * filled in for a step whose templates read it.
   */
  resumeUrl?: string
  /**
   * That wait's URL per decision, when it offers several (`decisions`): each with a token of its
   * own, so holding one link gives no other answer.
   */
  decisionUrls?: Record<string, string>
}

/**
 * The one place the context is assembled, so a new field (a run's resume URL, say) is added
 * here once and every template, `if` and `forEach` sees it.
 */
export function templateContext(parts: {
  input: unknown
  trigger: unknown
  steps: Record<string, { output: unknown }>
  run: RunInfo
}): TemplateContext {
  return { input: parts.input, trigger: parts.trigger, steps: parts.steps, run: parts.run }
}

/** The same context for one element of a forEach. */
export function withItem(context: TemplateContext, item: unknown, index: number): TemplateContext {
  return { ...context, item, index }
}
