import { env, exports } from 'cloudflare:workers'
import { AutomateError } from '../errors'
import type { GateProps } from './outbound-gate'
import { sandboxModules, USER_LINE_OFFSET } from './sandbox-modules'

export type CodeCall = {
  code: string
  input: unknown
  context: unknown
  allowedHosts: string[]
  cpuMs: number
  /** Keeps one workflow's isolate (and its globals) apart from another's running the same code. */
  workflowId: string
}

type SandboxResult =
  { ok: true; text: string } | { ok: false; name: string; message: string; stack: string }

type Sandbox = { run(inputText: string, contextText: string): Promise<SandboxResult> }

export const ENABLE_HINT =
  'add a Worker Loader binding to wrangler.toml ([[worker_loaders]] with binding = "LOADER") and ' +
  'deploy again; Dynamic Workers need the Workers Paid plan'

/**
 * Runs user JavaScript in a Dynamic Worker: its own isolate, no bindings, no network unless
 * hosts are listed (then only through CodeOutboundGate), a CPU limit, and the loop guard. The
 * main Worker never evaluates the code itself.
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
  const modules = sandboxModules(call.code)
  const hosts = [...call.allowedHosts].sort()
  // The same code, hosts and limit reuse a warm isolate (and count once a day on the bill).
  const id = await digest(JSON.stringify([call.workflowId, hosts, call.cpuMs, modules]))
  const worker = loader.get(id, () => ({
    compatibilityDate: '2026-04-01',
    mainModule: 'main.js',
    modules,
    env: {},
    globalOutbound: hosts.length ? gate({ hosts }) : null,
    limits: { cpuMs: call.cpuMs },
  }))
  const sandbox = worker.getEntrypoint() as unknown as Sandbox
  let result: SandboxResult
  try {
    result = await sandbox.run(
      JSON.stringify(call.input ?? null),
      JSON.stringify(call.context ?? {}),
    )
  } catch (error) {
    throw sandboxFailure(error, call.cpuMs)
  }
  if (result.ok) return JSON.parse(result.text)
  const line = userLine(result.stack)
  const where = line ? ` (line ${line})` : ''
  const hint = /not permitted to access the internet/.test(result.message)
    ? ' (a code step reaches the network only when config.allowedHosts lists the host)'
    : ''
  throw new AutomateError('CODE_FAILED', `${result.name}: ${result.message}${where}${hint}`, {
    retryable: false,
    details: { name: result.name, message: result.message, ...(line ? { line } : {}) },
  })
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

async function digest(text: string) {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
