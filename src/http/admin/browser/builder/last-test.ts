import { h } from './dom'
import type { LastTest } from './model'

/**
 * The line under "Test this step" saying how the node's last test went ("Tested 3 min ago:
 * succeeded in 120 ms"), from the page's data (the server's step_tests) or from a test just made.
 * Nothing at all for a node never tested.
 */
export function lastTestLine(id: string, test: LastTest | undefined): HTMLElement {
  const line = h('p', { class: 'small muted last-test', id })
  showLastTest(line, test)
  return line
}

export function showLastTest(line: HTMLElement, test: LastTest | undefined, now = Date.now()) {
  line.hidden = !test
  if (!test) return line.replaceChildren()
  const verdict =
    test.status === 'succeeded'
      ? `succeeded in ${test.durationMs} ms`
      : `failed: ${test.error?.message || 'no message'}`
  line.title = new Date(test.testedAt).toISOString()
  line.replaceChildren(`Tested ${ago(now - test.testedAt)}: ${verdict}`)
}

/** A rough age: the line says how fresh the verdict is, the title has the exact time. */
function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.floor(hours / 24)
  return days === 1 ? '1 day ago' : `${days} days ago`
}
