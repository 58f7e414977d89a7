import { h } from './dom'
import { lastTestLine, showLastTest } from './last-test'
import type { Builder, WorkflowNode } from './model'

type StepTest = {
  config: Record<string, unknown> | null
  output?: unknown
  error?: { message: string; code?: string }
  durationMs: number
  testId: string
}

/**
 * "Test this step": runs the node alone on the server with the input it would get from the
 * sample (earlier steps are not run again) and shows the filled-in config, the output or the
 * error, and the time it took. A node with effects outside the run asks first, since its call is
 * real. Nothing is recorded as a run; the server keeps the verdict, which the line under the
 * button shows (the node's last test, also after a reload).
 */
export function testStepControl(b: Builder, node: WorkflowNode, index: number): HTMLElement {
  const id = `node-card-${index}-test`
  const result = h('div', { class: 'test-result', id, role: 'status', 'aria-live': 'polite' })
  if (!b.data.testUrl)
    return h('p', { class: 'hint' }, 'Save the workflow to test one step at a time.')
  const info = b.data.nodes.find((n) => n.type === node.type)
  const last = lastTestLine(`node-card-${index}-last-test`, b.data.lastTests?.[node.id])
  const button = h(
    'button',
    {
      type: 'button',
      class: 'small-button',
      'aria-controls': id,
      onclick: async () => {
        if (
          info?.effectful &&
          !confirm(
            `Test step ${index + 1} (${node.id}) for real? It calls ${info.app ?? 'outside services'} ` +
              'now, as a run would. Nothing is recorded as a run.',
          )
        )
          return
        button.disabled = true
        result.replaceChildren(h('p', { class: 'small muted' }, 'Running…'))
        const body = new URLSearchParams({
          _csrf: b.csrf,
          body: JSON.stringify({ nodeId: node.id, sample: b.sample, definition: b.definition }),
        })
        try {
          const response = await fetch(b.data.testUrl!, { method: 'POST', body })
          const answer = await response.json()
          result.replaceChildren(...(response.ok ? shown(answer as StepTest) : refused(answer)))
          if (response.ok) remember(b, node.id, answer as StepTest, last)
        } catch (error) {
          result.replaceChildren(
            h('p', { class: 'error-box' }, `Not run: ${(error as Error).message}`),
          )
        } finally {
          button.disabled = false
        }
      },
    },
    info?.effectful ? `Test this step (calls ${info.app ?? 'out'})` : 'Test this step',
  )
  return h('div', { class: 'test-step' }, button, last, result)
}

/** Keeps the test as the node's last one, so a redraw of the form still shows it. */
function remember(b: Builder, nodeId: string, test: StepTest, line: HTMLElement) {
  const verdict = {
    status: test.error ? ('failed' as const) : ('succeeded' as const),
    error: test.error ? { code: test.error.code, message: test.error.message } : null,
    durationMs: test.durationMs,
    testedAt: Date.now(),
  }
  b.data.lastTests = { ...b.data.lastTests, [nodeId]: verdict }
  showLastTest(line, verdict)
}

function shown(test: StepTest): HTMLElement[] {
  const time = `${test.durationMs} ms`
  const parts: (HTMLElement | null)[] = [
    test.error
      ? h(
          'p',
          { class: 'error-box' },
          `Failed after ${time}: ${test.error.code ? `${test.error.code}: ` : ''}${test.error.message}`,
        )
      : h('p', { class: 'ok-box' }, `Succeeded in ${time}.`),
    test.config
      ? h('details', {}, h('summary', {}, 'Config as sent'), h('pre', {}, pretty(test.config)))
      : null,
    test.error
      ? null
      : h('details', { open: true }, h('summary', {}, 'Output'), h('pre', {}, pretty(test.output))),
  ]
  return parts.filter((e): e is HTMLElement => e !== null)
}

/** The API refused the test (the definition does not validate, the node is unknown). */
function refused(answer: any): HTMLElement[] {
  const details: { path: string; message: string }[] = Array.isArray(answer?.error?.details)
    ? answer.error.details
    : []
  return [
    h(
      'div',
      { class: 'error-box' },
      h('strong', {}, 'Not run: '),
      answer?.error?.message ?? 'the server refused it.',
      details.length
        ? h(
            'ul',
            {},
            details.map((d) => h('li', {}, `${d.path}: ${d.message}`)),
          )
        : null,
    ),
  ]
}

function pretty(value: unknown) {
  return JSON.stringify(value, null, 2) ?? 'null'
}
