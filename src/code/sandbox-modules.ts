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

// The entrypoint: JSON in, JSON text or the thrown error out, so nothing but data crosses back.
const MAIN = `import { WorkerEntrypoint } from 'cloudflare:workers'
import { reset } from './guard.js'
import run from './user.js'

export default class extends WorkerEntrypoint {
  async run(inputText, contextText) {
    reset()
    let value
    try {
      value = await run(JSON.parse(inputText), JSON.parse(contextText))
    } catch (error) {
      const isError = error instanceof Error
      return {
        ok: false,
        name: isError ? error.name : typeof error,
        message: isError ? error.message : String(error),
        stack: isError ? String(error.stack ?? '') : '',
      }
    }
    try {
      return { ok: true, text: JSON.stringify(value === undefined ? null : value) ?? 'null' }
    } catch (error) {
      return { ok: false, name: 'OutputError', message: 'the return value is not JSON: ' + error.message, stack: '' }
    }
  }
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
