/**
 * What one evaluation may cost. A Worker's clock does not advance during CPU-only work, so a
 * timeout cannot stop a runaway expression (`[1..1e6].[1..1e6]`, a function that calls itself):
 * only counting can. About a million units is under a second of CPU.
 */
export type ExpressionLimits = {
  /** Evaluation steps plus the elements of every array a step produces (a range allocates). */
  steps: number
  /** Nesting of evaluation: a recursive function adds about three levels per call. */
  depth: number
  /** Length of any one sequence (JSONata's own `sequence` guard, also caps `[a..b]`). */
  sequence: number
  /** Length of any one string a step produces: `$s & $s` doubles in one step. */
  stringLength: number
}

/** This evaluation's spending, kept in JSONata's root frame of that evaluation. */
export type Budget = { used: number; limits: ExpressionLimits }

// Bound into the root frame under a string key (JSONata binds only string keys); a block's `:=`
// binds in a child frame, so an expression cannot replace it.
export const BUDGET_BINDING = '__automateos_budget'
const BUDGET = Symbol('automateos.budget')

type RootFrame = { depth: number; lookup(name: string): unknown; [BUDGET]?: Budget | null }
export type Frame = { base: RootFrame }

/**
 * Characters a built-in may read or write per step it is charged. A step is about a microsecond;
 * copying, scanning or serialising a hundred characters costs about as much.
 */
export const CHARS_PER_STEP = 100

/** This evaluation's budget, looked up once and then kept on the root frame. */
export function budgetOf(env: Frame | undefined): Budget | undefined {
  const base = env?.base
  if (!base) return undefined
  if (base[BUDGET] === undefined) base[BUDGET] = (base.lookup(BUDGET_BINDING) as Budget) ?? null
  return base[BUDGET] ?? undefined
}

/** Thrown from inside JSONata's hooks and built-ins; becomes EXPRESSION_LIMIT at the boundary. */
export class LimitReached {
  constructor(readonly message: string) {}
}

export function stepsExceeded(limits: ExpressionLimits) {
  return new LimitReached(
    `the expression took more than ${limits.steps} evaluation steps (a runaway loop or range?)`,
  )
}

/** Spends `steps`, throwing once the evaluation is over its budget. */
export function charge(budget: Budget | undefined, steps: number) {
  if (!budget) return
  budget.used += steps
  if (budget.used > budget.limits.steps) throw stepsExceeded(budget.limits)
}

/** Spends the steps that handling `chars` characters is worth. */
export function chargeChars(budget: Budget | undefined, chars: number) {
  if (chars > 0) charge(budget, Math.ceil(chars / CHARS_PER_STEP))
}
