// Every process the bench starts is registered here, so a failure or ctrl-c never leaves a
// wrangler or workerd behind holding a port. Each child leads its own process group: killing
// the group also ends the workerd that wrangler spawns.
import { spawn } from 'node:child_process'
import { openSync, closeSync, readFileSync } from 'node:fs'

const children = new Set()
let stopping = false

export function startProcess(command, args, { cwd, env, logFile }) {
  if (stopping) throw new Error('the bench is stopping')
  const log = openSync(logFile, 'a')
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  })
  closeSync(log)
  child.exited = new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1))
    // Spawning itself failed (a missing cwd or binary): there will be no 'exit'.
    child.once('error', (error) => {
      console.error(`bench: ${command} ${args[0] ?? ''}: ${error.message}`)
      resolve(1)
    })
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** True after ctrl-c: whatever is measured now is not a result. */
export const isStopping = () => stopping

export async function stopProcess(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  signalGroup(child, 'SIGTERM')
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs)
  await child.exited
  clearTimeout(timer)
  // wrangler may exit before its workerd; make sure nothing of the group survives.
  signalGroup(child, 'SIGKILL')
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopProcess(child)))
}

/** Runs a command to completion; rejects with the tail of its log when it fails. */
export async function runCommand(command, args, options) {
  const child = startProcess(command, args, options)
  const code = await child.exited
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}):\n${tail(options.logFile)}`)
}

export function tail(logFile, lines = 30) {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** On ctrl-c or kill: stop every child, then `cleanup()` (synchronous), then exit. */
export function installCleanup(cleanup = () => {}) {
  const bail = (signal) => {
    stopping = true
    console.error(`\nbench: ${signal}, stopping the processes it started`)
    stopAll()
      .then(cleanup)
      .finally(() => process.exit(130))
  }
  process.once('SIGINT', () => bail('SIGINT'))
  process.once('SIGTERM', () => bail('SIGTERM'))
  // Last resort when the bench dies without awaiting stopAll: synchronous kills only.
  process.once('exit', () => {
    for (const child of children) signalGroup(child, 'SIGKILL')
  })
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}
