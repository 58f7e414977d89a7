import { env, exports } from 'cloudflare:workers'
import { AutomateError } from '../errors'
import type { GateProps } from './outbound-gate'
import { MAX_RESULT_CHARS, readResult } from './read-result'
import { sandboxModules, THROWN_STATUS, USER_LINE_OFFSET } from './sandbox-modules'

export { MAX_RESULT_CHARS }

export type CodeCall = {
  code: string
  input: unknown
  context: unknown
  allowedHosts: string[]
  cpuMs: number
}

type Thrown = { name: string; message: string; stack: string }

export const ENABLE_HINT =
  'add a Worker Loader binding to wrangler.toml ([[worker_loaders]] with binding = "LOADER") and ' +
  'deploy again; Dynamic Workers need the Workers Paid plan'

/**
 * Runs user JavaScript in a Dynamic Worker: its own isolate, no bindings, no network unless
 * hosts are listed (then only through CodeOutboundGate), a CPU limit, and the loop guard. The
 * main Worker never evaluates the code itself, and reads its answer with a size cap.
 */
export async function runCode(
  call: CodeCall,
  loader: WorkerLoader | null | undefined = (env as { LOADER?: WorkerLoader }).LOADER,
): Promise<unknown> {
  if (!loader) {
    throw new AutomateError(
      'CODE_NOT_ENABLED',
      `The code node needs the Worker Loader binding LOADER, which this deployment does not have: ${ENABLE_HINT}`,
      { retryable: false },
    )
  }
  const hosts = [...call.allowedHosts].sort()
  // A new isolate for every run (load, not get: no cache by id), so nothing the code leaves in
  // its globals reaches the next run, whose input may come from another sender. It costs one
  // Dynamic Worker per run on the bill, which is what that isolation is worth.
  const worker = loader.load({
    compatibilityDate: '2026-04-01',
    mainModule: 'main.js',
    modules: sandboxModules(call.code),
    env: {},
    globalOutbound: hosts.length ? gate({ hosts }) : null,
    limits: { cpuMs: call.cpuMs },
  })
  let answer: Response
  try {
    answer = await worker.getEntrypoint().fetch('http://code.sandbox/run', {
      method: 'POST',
      body: JSON.stringify({ input: call.input ?? null, context: call.context ?? {} }),
    })
  } catch (error) {
    throw sandboxFailure(error, call.cpuMs)
  }
  const text = await readResult(answer.body, MAX_RESULT_CHARS)
  if (answer.status === 200) return parsed(text)
  const thrown = answer.status === THROWN_STATUS ? thrownOf(text) : undefined
  if (!thrown) {
    throw new AutomateError('CODE_FAILED', `The code's sandbox answered ${answer.status}`, {
      details: { status: answer.status },
    })
  }
  const line = userLine(thrown.stack)
  const where = line ? ` (line ${line})` : ''
  const hint = /not permitted to access the internet/.test(thrown.message)
    ? ' (a code step reaches the network only when config.allowedHosts lists the host)'
    : ''
  throw new AutomateError('CODE_FAILED', `${thrown.name}: ${thrown.message}${where}${hint}`, {
    retryable: false,
    details: { name: thrown.name, message: thrown.message, ...(line ? { line } : {}) },
  })
}

/** The result, which our wrapper wrote as JSON unless the user's code replaced JSON.stringify. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new AutomateError('CODE_FAILED', 'The code returned something that is not JSON', {
      retryable: false,
      cause: error,
    })
  }
}

// The thrown error's fields, cut to a length an error message can carry.
const MAX_THROWN_CHARS = 2_000

function thrownOf(text: string): Thrown | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const field = (name: string) => {
    const v = (value as Record<string, unknown>)[name]
    return typeof v === 'string' ? v.slice(0, MAX_THROWN_CHARS) : ''
  }
  return { name: field('name') || 'Error', message: field('message'), stack: field('stack') }
}

function gate(props: GateProps): Fetcher {
  const entrypoints = exports as unknown as Record<
    string,
    (options: { props: GateProps }) => Fetcher
  >
  return entrypoints.CodeOutboundGate!({ props })
}

/** The first frame in the user's module, as a line of the code they wrote. */
export function userLine(stack: string): number | undefined {
  const match = /user\.js:(\d+):\d+/.exec(stack)
  if (!match) return undefined
  const line = Number(match[1]) - USER_LINE_OFFSET
  return line >= 1 ? line : undefined
}

/** The isolate itself failed: the CPU limit, a syntax error in the code, or the runtime. */
function sandboxFailure(error: unknown, cpuMs: number): AutomateError {
  const message = (error as Error)?.message ?? String(error)
  if (/cpu/i.test(message) && /limit|exceeded/i.test(message)) {
    return new AutomateError('CODE_CPU_LIMIT', `Stopped after its CPU limit of ${cpuMs} ms`, {
      retryable: false,
      cause: error,
    })
  }
  if (/SyntaxError/.test(message) || (error as Error)?.name === 'SyntaxError') {
    return new AutomateError('CODE_INVALID', `The code does not compile: ${message}`, {
      retryable: false,
      cause: error,
    })
  }
  return new AutomateError('CODE_FAILED', `The code's sandbox failed: ${message}`, { cause: error })
}
