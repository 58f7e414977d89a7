// Waits for the local server (dev-server.mjs) the way wrangler says it is ready, for `npm start`
// and the tests that start one. Polling /healthz with 2-second timeouts failed on a loaded
// machine: every probe gave up before the Worker had loaded, for minutes on end.

/**
 * Resolves once `child` (dev-server.mjs, spawned with an IPC channel) has sent its ready message
 * and `base`/healthz has answered 200. Ready means listening: the first request waits in wrangler's
 * proxy until the Worker has loaded, so it gets all the time left. Rejects when the server exits
 * first or `deadline` (a time in ms) passes.
 */
export async function serverReady(child, base, deadline) {
  await readyMessage(child, deadline)
  const left = Math.max(1, deadline - Date.now())
  let response
  try {
    response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(left) })
  } catch (error) {
    throw new Error(`${base}/healthz did not answer (${error.cause?.message ?? error.message})`)
  }
  await response.body?.cancel()
  if (response.status !== 200) throw new Error(`${base}/healthz answered ${response.status}`)
  // The channel has done its job; left open it would keep this process alive.
  if (child.connected) child.disconnect()
}

function readyMessage(child, deadline) {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const timer = setTimeout(() => {
      done()
      const seconds = Math.round((deadline - started) / 1000)
      reject(new Error(`the server was not ready after ${seconds} s`))
    }, deadline - started)
    const onMessage = (message) => {
      if (message?.ready !== true) return
      done()
      resolve()
    }
    const onExit = (code, signal) => {
      done()
      reject(new Error(`the server exited (${signal ?? `exit code ${code}`})`))
    }
    const done = () => {
      clearTimeout(timer)
      child.off('message', onMessage).off('exit', onExit)
    }
    if (child.exitCode !== null || child.signalCode !== null)
      return onExit(child.exitCode, child.signalCode)
    child.on('message', onMessage).on('exit', onExit)
  })
}
