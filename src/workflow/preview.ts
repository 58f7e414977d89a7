import { findNode } from '../nodes/registry'
import { configTemplates } from '../templates/check'
import { evaluateIf } from '../templates/condition'
import { type TemplateContext, templateContext, withItem } from '../templates/context'
import { fillConfig, fillTemplates } from '../templates/fill'
import { forEachList } from '../templates/for-each-list'
import type { FieldPath } from '../templates/walk'

/** What a preview fills templates in from: a run's input and the outputs its steps had. */
export type PreviewSample = {
  input?: unknown
  trigger?: unknown
  steps?: Record<string, { output?: unknown }>
}

export type PreviewNode = {
  id: string
  type: string
  config?: Record<string, unknown>
  if?: string
  forEach?: string
}

/** A field of the definition, by its dotted path (`nodes.1.config.content`), as saving names it. */
export type FieldResult = { path: string; value?: unknown; error?: string }

export type NodePreview = {
  id: string
  /** The config as the node would get it; absent when a template in it fails. */
  config?: Record<string, unknown>
  fields: FieldResult[]
}

export type Preview = { nodes: NodePreview[] }

const dotted = (path: FieldPath) => path.map(String).join('.')
const messageOf = (error: unknown) => (error as Error)?.message ?? String(error)

/**
 * Each node's templates, `if` and `forEach` evaluated against a sample, with nothing run: what
 * the editor shows beside each field. Node `i` reads the sample's outputs of the nodes before
 * it, and its input is the output of the node just before (the run's input for the first), as
 * in a run. Every template is evaluated on its own, so one error does not hide the others.
 * (A schedule's next fire times are the API's to add: schedules sit above this layer.)
 */
export async function previewWorkflow(
  definition: { nodes: PreviewNode[] },
  sample: PreviewSample,
  now = Date.now(),
): Promise<Preview> {
  const nodes: NodePreview[] = []
  for (const [index, node] of definition.nodes.entries()) {
    nodes.push(await previewNode(node, index, sampleContext(definition.nodes, index, sample, now)))
  }
  return { nodes }
}

/**
 * What node `index` would read in a run whose input and earlier outputs are the sample's: its
 * input is the output of the node just before (the run's input for the first), `steps` holds the
 * sample's outputs of the nodes before it only.
 */
export function sampleContext(
  nodes: { id: string }[],
  index: number,
  sample: PreviewSample,
  now = Date.now(),
  ids = { id: 'preview', workflowId: 'preview' },
): TemplateContext {
  const steps = sample.steps ?? {}
  const before = nodes.slice(0, index)
  return templateContext({
    input: index === 0 ? sample.input : steps[before[index - 1]!.id]?.output,
    trigger: sample.trigger ?? { type: 'manual' },
    steps: Object.fromEntries(
      before.filter((n) => n.id in steps).map((n) => [n.id, { output: steps[n.id]!.output }]),
    ),
    run: {
      ...ids,
      startedAt: new Date(now).toISOString(),
      input: sample.input,
    },
  })
}

async function previewNode(
  node: PreviewNode,
  index: number,
  outer: TemplateContext,
): Promise<NodePreview> {
  const at = (...path: FieldPath) => dotted(['nodes', index, ...path])
  const fields: FieldResult[] = []
  let context = outer
  if (node.if !== undefined) {
    try {
      fields.push({ path: at('if'), value: await evaluateIf(node.if, outer) })
    } catch (error) {
      fields.push({ path: at('if'), error: messageOf(error) })
    }
  }
  if (node.forEach !== undefined) {
    try {
      const list = await forEachList(node.forEach, outer)
      fields.push({ path: at('forEach'), value: list })
      // The config is shown as the first element would fill it in.
      if (list.length > 0) context = withItem(outer, list[0], 0)
    } catch (error) {
      fields.push({ path: at('forEach'), error: messageOf(error) })
    }
  }
  const definition = findNode(node.type)
  const verbatim = definition?.verbatimFields ?? []
  const config = node.config ?? {}
  let failed = false
  for (const { path, text } of configTemplates(config, verbatim, ['config'])) {
    try {
      fields.push({ path: at(...path), value: await fillTemplates(text, context, path) })
    } catch (error) {
      failed = true
      fields.push({ path: at(...path), error: messageOf(error) })
    }
  }
  if (failed) return { id: node.id, fields }
  try {
    const filled = await fillConfig(config, context, verbatim, definition?.escapeFilled)
    return { id: node.id, config: filled, fields }
  } catch (error) {
    return { id: node.id, fields: [...fields, { path: at('config'), error: messageOf(error) }] }
  }
}
