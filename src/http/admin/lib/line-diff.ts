export type DiffLine = { kind: 'same' | 'add' | 'del'; text: string }
export type DiffHunk = DiffLine | { kind: 'gap'; lines: number }

// Beyond this many lines on a side the O(n·m) table would cost too much; such a diff falls back
// to "everything removed, everything added", which is still correct, only less helpful.
const MAX_LINES = 4000

/** A line diff by longest common subsequence: what turns `before` into `after`. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  // Common head and tail are cheap to take off first, and are most of a typical edit.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++
  const midA = a.slice(head, a.length - tail)
  const midB = b.slice(head, b.length - tail)
  const same = (text: string): DiffLine => ({ kind: 'same', text })
  return [
    ...a.slice(0, head).map(same),
    ...diffMiddle(midA, midB),
    ...a.slice(a.length - tail).map(same),
  ]
}

function diffMiddle(a: string[], b: string[]): DiffLine[] {
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return [
      ...a.map((text): DiffLine => ({ kind: 'del', text })),
      ...b.map((text): DiffLine => ({ kind: 'add', text })),
    ]
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1
  const lcs = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!)
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) out.push({ kind: 'same', text: a[i++]! }) && j++
    else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)
      out.push({ kind: 'del', text: a[i++]! })
    else out.push({ kind: 'add', text: b[j++]! })
  }
  while (i < a.length) out.push({ kind: 'del', text: a[i++]! })
  while (j < b.length) out.push({ kind: 'add', text: b[j++]! })
  return out
}

/** The changes with `context` unchanged lines around each; longer unchanged runs fold to a gap. */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffHunk[] {
  const near = lines.map(() => false)
  lines.forEach((line, index) => {
    if (line.kind === 'same') return
    for (
      let k = Math.max(0, index - context);
      k <= Math.min(lines.length - 1, index + context);
      k++
    )
      near[k] = true
  })
  const out: DiffHunk[] = []
  let folded = 0
  lines.forEach((line, index) => {
    if (near[index]) {
      if (folded) out.push({ kind: 'gap', lines: folded })
      folded = 0
      out.push(line)
    } else folded++
  })
  if (folded) out.push({ kind: 'gap', lines: folded })
  return out
}
