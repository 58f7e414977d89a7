// Open file descriptors and CPU time of a process and its descendants, read from /proc (Linux
// only): what ran out when a burst of webhooks took `npm start` down (issue 7 §5), and which
// process the CPU went to.
import { readFileSync, readdirSync } from 'node:fs'

// Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every common build.
const TICKS_PER_SECOND = 100

/**
 * Samples `rootPid` and its descendants every `everyMs` until stop() and keeps the peaks of open
 * descriptors, per process and in total, and the CPU seconds each used meanwhile. `groups`
 * collects their process groups, so they can be stopped even after the root has exited.
 */
export function watchDescriptors(rootPid, everyMs = 250, groups = new Set()) {
  const byProcess = {}
  const cpuStart = {}
  const cpuLast = {}
  let total = 0
  const sample = () => {
    let sum = 0
    for (const { pid, pgrp, label, cpuTicks } of processTree(rootPid)) {
      groups.add(pgrp)
      const key = `${label} ${pid}`
      cpuStart[key] ??= cpuTicks
      cpuLast[key] = cpuTicks
      const open = countOpen(pid)
      sum += open
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
      const cpuSeconds = Object.fromEntries(
        Object.keys(cpuLast).map((key) => [key, (cpuLast[key] - cpuStart[key]) / TICKS_PER_SECOND]),
      )
      return { total, byProcess, cpuSeconds }
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
      const fields = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number)
      // utime and stime: fields 14 and 15 of the whole line, 12 and 13 after the command.
      const cpuTicks = fields[11] + fields[12]
      all.push({ pid: Number(entry), ppid: fields[1], pgrp: fields[2], cpuTicks })
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
  const name = (named ?? args[0]).split('/').pop()
  if (name !== 'workerd') return name
  // wrangler runs two: a proxy on the public port, and the Worker's own on a random one.
  return args.includes('--socket-addr=entry=127.0.0.1:0') ? 'workerd (Worker)' : 'workerd (proxy)'
}

function countOpen(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return 0
  }
}
