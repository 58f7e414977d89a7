import { expressionError } from '../lib/jsonata'
import { fieldExpression, parseTemplate } from './parse'
import { addReferences, emptyReferences } from './references'
import { templateStrings, type FieldPath } from './walk'

export type TemplateIssue = { path: FieldPath; message: string }

type NodeLike = { id: string; config?: unknown; if?: string; forEach?: string }

/**
 * Save-time checks of one node's templates, `if` and `forEach`: each must compile, each
 * `steps.<id>` must name a node that runs before this one (a later node has no output yet), and
 * `run.resumeUrl` needs a wait-for-webhook node at or after this one (`waitAhead`).
 * Paths are relative to the node: ['config', 'headers', 'X-Id'], ['if'].
 */
export function checkNodeTemplates(
  nodes: NodeLike[],
  index: number,
  verbatim: readonly string[] = [],
  waitAhead = true,
): TemplateIssue[] {
  const node = nodes[index]!
  const issues: TemplateIssue[] = []
  const expressions: { path: FieldPath; raw: string; source: string }[] = []

  for (const { path, text } of configTemplates(node.config, verbatim, ['config'])) {
    const parsed = parseTemplate(text)
    if (!parsed.ok) {
      issues.push({ path, message: `invalid template: ${parsed.error}` })
      continue
    }
    for (const segment of parsed.segments) {
      if (segment.kind === 'expr')
        expressions.push({ path, raw: segment.raw, source: segment.source })
    }
  }
  for (const field of ['if', 'forEach'] as const) {
    const text = node[field]
    if (typeof text !== 'string') continue
    const expression = fieldExpression(text)
    if (!expression.ok) issues.push({ path: [field], message: expression.error })
    else expressions.push({ path: [field], raw: expression.raw, source: expression.source })
  }

  const position = new Map(nodes.map((n, i) => [n.id, i]))
  for (const { path, raw, source } of expressions) {
    const syntax = expressionError(source)
    if (syntax) {
      issues.push({ path, message: `invalid JSONata in ${raw}: ${syntax}` })
      continue
    }
    const refs = addReferences(emptyReferences(), source)
    if (refs.resumeUrl && !waitAhead) {
      const message = `${raw} reads run.resumeUrl: no wait-for-webhook node runs at or after this one, so there is no wait to resume`
      issues.push({ path, message })
    }
    for (const id of refs.rootSteps) {
      const at = position.get(id)
      if (at !== undefined && at < index) continue
      issues.push({ path, message: `${raw} reads steps.${id}: ${whyNot(id, at, index, source)}` })
    }
  }
  return issues
}

function whyNot(id: string, at: number | undefined, index: number, source: string) {
  if (at === index) return 'that is this node itself; a node reads its own input as `input`'
  if (at !== undefined)
    return `node '${id}' runs after this one (nodes.${at}), so it has no output yet`
  // `steps.my-node` is a subtraction in JSONata: the id needs backticks.
  const hyphen = new RegExp(`steps\\.${id}\\s*-`).test(source)
  return hyphen
    ? `no node '${id}' (an id with '-' needs backticks: steps.\`${id}-…\`)`
    : `no node '${id}' in this workflow`
}

/** Paths of config fields holding a template: their type is only known once filled in. */
export function templatedPaths(config: unknown, verbatim: readonly string[] = []): FieldPath[] {
  return configTemplates(config, verbatim, []).map((t) => t.path)
}

/**
 * Config fields no template ever fills in, whatever the node: `credential`, so that the data a
 * run receives never chooses which stored credential a step sends (issue 20). A templated one is
 * refused when the workflow is saved, by the field's schema (credentialName).
 */
export const LITERAL_FIELDS: readonly string[] = ['credential']

/** The templated strings of a config, less those in the node's verbatim and literal fields. */
export function configTemplates(config: unknown, verbatim: readonly string[], path: FieldPath) {
  const depth = path.length
  return templateStrings(config ?? {}, path).filter((t) => {
    const field = String(t.path[depth])
    return !verbatim.includes(field) && !LITERAL_FIELDS.includes(field)
  })
}

/** An issue at or inside a templated field is judged at run time, after filling in. */
export function isTemplated(issuePath: PropertyKey[], templated: FieldPath[]): boolean {
  return templated.some(
    (path) => path.length <= issuePath.length && path.every((part, i) => part === issuePath[i]),
  )
}
