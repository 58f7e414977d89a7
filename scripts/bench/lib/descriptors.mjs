// Open file descriptors of a process and its descendants, read from /proc (Linux only): what ran
// out when a burst of webhooks took `npm start` down (issue 7 §5).
import { readFileSync, readdirSync } from 'node:fs'

/**
 * Samples `rootPid` and its descendants every `everyMs` until stop() and keeps the peaks, per
 * process and in total. `groups` collects their process groups, so they can be stopped even
 * after the root has exited.
 */
export function watchDescriptors(rootPid, everyMs = 250, groups = new Set()) {
  const byProcess = {}
  let total = 0
  const sample = () => {
    let sum = 0
    for (const { pid, pgrp, label } of processTree(rootPid)) {
      groups.add(pgrp)
      const open = countOpen(pid)
      sum += open
      const key = `${label} ${pid}`
      byProcess[key] = Math.max(byProcess[key] ?? 0, open)
    }
    total = Math.max(total, sum)
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return { total, byProcess }
    },
  }
}

/** Whether this platform has /proc to read descriptors from. */
export const canWatchDescriptors = () => {
  try {
    readdirSync('/proc/self/fd')
    return true
  } catch {
    return false
  }
}

/** `rootPid` and every process below it, each with its process group and a short label. */
export function processTree(rootPid) {
  const all = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The fields after the command's closing parenthesis: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const [, ppid, pgrp] = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number)
      all.push({ pid: Number(entry), ppid, pgrp })
    } catch {
      // Exited meanwhile.
    }
  }
  const tree = []
  const inTree = new Set([rootPid])
  // Parents have lower pids as a rule but not always: repeat until nothing is added.
  for (let added = true; added;) {
    added = false
    for (const p of all)
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid)
        added = true
      }
  }
  for (const p of all)
    if (inTree.has(p.pid)) {
      try {
        tree.push({ ...p, label: label(p.pid) })
      } catch {
        // Exited meanwhile.
      }
    }
  return tree
}

function label(pid) {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  const named = args.find((arg) => /workerd|esbuild|start\.mjs|dev-server\.mjs|wrangler/.test(arg))
  return (named ?? args[0]).split('/').pop()
}

function countOpen(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return 0
  }
}
