import { compileExpression } from '../lib/jsonata'

/** What an expression reads of the template context, found in its syntax tree. */
export type References = {
  /** Node ids read as `steps.<id>` (or `$$.steps.<id>`, `steps["<id>"]`). */
  steps: Set<string>
  /** Ids read from the top of the context, where `steps` is the run's steps for sure. */
  rootSteps: Set<string>
  /** `steps` is read in a way that names no single node (`steps.*`, `$$`, `steps[$x]`). */
  allSteps: boolean
  /** Calls $now(), $millis() or $random(): another evaluation gives another value. */
  nonDeterministic: boolean
  /** Reads `run.resumeUrl` (from the top): the step needs its run's resume key. */
  resumeUrl: boolean
}

type AstNode = { type?: string; value?: unknown; steps?: AstNode[]; [key: string]: unknown }

const CLOCK_OR_CHANCE = new Set(['now', 'millis', 'random'])

export function emptyReferences(): References {
  return {
    steps: new Set(),
    rootSteps: new Set(),
    allSteps: false,
    nonDeterministic: false,
    resumeUrl: false,
  }
}

/** Merges what `source` reads into `into` (a syntax error is the caller's to report). */
export function addReferences(into: References, source: string): References {
  const ast = compileExpression(source).ast() as unknown as AstNode
  walk(ast, true, into)
  return into
}

export function expressionReferences(source: string): References {
  return addReferences(emptyReferences(), source)
}

function walk(node: unknown, atRoot: boolean, refs: References) {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, atRoot, refs)
    return
  }
  if (node === null || typeof node !== 'object') return
  const ast = node as AstNode
  if (ast.type === 'variable' && ast.value === '$') refs.allSteps = true // `$$` on its own
  if (ast.type === 'function' && isClockOrChance(ast)) refs.nonDeterministic = true
  if (ast.type === 'path' && Array.isArray(ast.steps)) {
    walkPath(ast, atRoot, refs)
    return
  }
  for (const [key, child] of Object.entries(ast)) {
    if (key !== 'value' && key !== 'type' && key !== 'position') walk(child, atRoot, refs)
  }
}

/**
 * In `steps.a.output`, `steps` is the first step of a path at the top of the expression; in
 * `input.items[steps.a]` it is a field of each item. Both count for loading (reading one output
 * too many costs little); only the first kind is checked against the node list at save time.
 */
function walkPath(path: AstNode, atRoot: boolean, refs: References) {
  const steps = path.steps!
  let first = 0
  let root = atRoot
  const head = steps[0]
  // `$$.steps.x` reads from the top wherever it is; `$.steps.x` only at the top.
  if (head?.type === 'variable' && (head.value === '$' || (head.value === '' && atRoot))) {
    first = 1
    root = true
  }
  const name = steps[first]
  if (name?.type === 'name' && name.value === 'steps') {
    const id = stepId(name, steps[first + 1])
    if (id === undefined) refs.allSteps = true
    else {
      refs.steps.add(id)
      if (root) refs.rootSteps.add(id)
    }
    walkRest(name, refs, ['stages', 'predicate'])
    steps.slice(first + 1).forEach((step) => walk(step, false, refs))
  } else {
    if (first === 1) walk(head, atRoot, refs) // a lone `$$` still means "everything"
    const field = steps[first + 1]
    // run.decisionUrls are the same wait's URLs, one per decision: the same key makes them.
    const url = field?.value === 'resumeUrl' || field?.value === 'decisionUrls'
    if (root && name?.type === 'name' && name.value === 'run' && url) refs.resumeUrl = true
    steps.slice(first).forEach((step, i) => walk(step, i === 0 && root, refs))
  }
  for (const [key, child] of Object.entries(path)) {
    if (key !== 'steps' && key !== 'type' && key !== 'position') walk(child, false, refs)
  }
}

/** The node id in `steps.<id>` or `steps["<id>"]`, or undefined when it is not spelled out. */
function stepId(steps: AstNode, next: AstNode | undefined): string | undefined {
  const stages = (steps.stages ?? steps.predicate) as AstNode[] | undefined
  if (stages?.length) {
    const filter = stages[0]!
    const expr = filter.expr as AstNode | undefined
    if (stages.length === 1 && filter.type === 'filter' && expr?.type === 'string')
      return String(expr.value)
    return undefined
  }
  if (next?.type === 'name' && typeof next.value === 'string') return next.value
  return undefined
}

function walkRest(node: AstNode, refs: References, skip: string[]) {
  for (const [key, child] of Object.entries(node)) {
    if (!skip.includes(key) && key !== 'value' && key !== 'type' && key !== 'position')
      walk(child, false, refs)
  }
}

function isClockOrChance(call: AstNode) {
  const procedure = call.procedure as AstNode | undefined
  return procedure?.type === 'variable' && CLOCK_OR_CHANCE.has(String(procedure.value))
}
