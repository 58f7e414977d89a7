import { guardLoops } from './loop-guard'

/** Loop iterations one run may make before the guard stops it (about 0.1 s of CPU locally). */
export const MAX_TICKS = 20_000_000
/** Function calls, which also bound an endless async chain (about 2 s of CPU locally). */
export const MAX_CALLS = 2_000_000

const HELPER = '__automateos'

/**
 * The Dynamic Worker's modules. The user's code is the body of `async function (input, context)`
 * in user.js, whose first line holds the whole preamble, so line N of the code is line N + 1 of
 * user.js: errors are reported at the line the user wrote.
 */
export function sandboxModules(code: string): Record<string, string> {
  const body = guardLoops(code, {
    tick: `${HELPER}.tick`,
    iterate: `${HELPER}.iterate`,
    call: `${HELPER}.call`,
  })
  return {
    'main.js': MAIN,
    'guard.js': GUARD,
    'user.js': `import { ${HELPER} } from './guard.js'; export default async function (input, context) {\n${body}\n}\n`,
  }
}

export const USER_LINE_OFFSET = 1

/** The status of an answer that carries the thrown error rather than the result. */
export const THROWN_STATUS = 422

// The entrypoint: input and context arrive as the request's JSON; the answer is the result's JSON
// text (200) or the thrown error (422). An HTTP answer rather than an RPC return value, so the
// main Worker reads it as a stream with a size cap, whatever the user's code did to this isolate.
const MAIN = `import { reset } from './guard.js'
import run from './user.js'

export default {
  async fetch(request) {
    reset()
    const { input, context } = await request.json()
    let value
    try {
      value = await run(input, context)
    } catch (error) {
      const isError = error instanceof Error
      return Response.json({
        name: isError ? error.name : typeof error,
        message: isError ? error.message : String(error),
        stack: isError ? String(error.stack ?? '') : '',
      }, { status: ${THROWN_STATUS} })
    }
    let text
    try {
      text = JSON.stringify(value === undefined ? null : value) ?? 'null'
    } catch (error) {
      return Response.json({ name: 'OutputError', message: 'the return value is not JSON: ' + error.message, stack: '' }, { status: ${THROWN_STATUS} })
    }
    return new Response(text, { headers: { 'content-type': 'application/json' } })
  },
}
`

const GUARD = `let ticks = 0
let calls = 0
export function reset() { ticks = 0; calls = 0 }
function tick() {
  if (++ticks > ${MAX_TICKS}) {
    throw new RangeError('stopped after ${MAX_TICKS} loop iterations: an endless loop?')
  }
  return true
}
function call() {
  if (++calls > ${MAX_CALLS}) {
    throw new RangeError('stopped after ${MAX_CALLS} function calls: endless recursion?')
  }
}
function* iterate(iterable) {
  for (const value of iterable) {
    tick()
    yield value
  }
}
async function* iterateAsync(iterable) {
  for await (const value of iterable) {
    tick()
    yield value
  }
}
export const ${HELPER} = Object.freeze({
  tick,
  call,
  iterate(iterable) {
    return iterable && typeof iterable[Symbol.asyncIterator] === 'function' && typeof iterable[Symbol.iterator] !== 'function'
      ? iterateAsync(iterable)
      : iterate(iterable)
  },
})
`
