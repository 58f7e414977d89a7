import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BIG_BUDGET, holdingQueue, startMessage } from '../../../../test/engine-fixtures'
import { admin, createWorkflow, waitForRun } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'
import { runWorkflow } from '../../../engine/run-workflow'

/** The workflow page's flow picture: the <svg> and what it holds. */
async function picture(workflowId: string) {
  const { html } = await (await signedIn()).page(`/admin/workflows/${workflowId}`)
  const svg = /<svg class="flow"[\s\S]*?<\/svg>/.exec(html)?.[0]
  if (!svg) throw new Error('no flow picture on the page')
  return { html, svg }
}

/** Each node box: its id, its last-run status (absent before any run) and its marks, in order. */
function boxes(svg: string) {
  return [
    ...svg.matchAll(
      /<g class="flow-node ([^"]+)" data-node="([^"]+)"([^>]*)>([\s\S]*?)<\/g>(?=<g class="flow-node|<\/svg>)/g,
    ),
  ].map((m) => ({
    id: m[2]!,
    status: /data-status="([^"]+)"/.exec(m[3]!)?.[1],
    tags: [...m[4]!.matchAll(/<g class="flow-tag flow-tag-(\w+)">/g)].map((t) => t[1]),
    bypass: m[4]!.includes('class="flow-bypass"'),
    stacked: m[4]!.includes('class="flow-stack"'),
    html: m[4]!,
  }))
}

async function runNow(workflowId: string, input: unknown) {
  const response = await admin(`/api/workflows/${workflowId}/runs`, { method: 'POST', json: input })
  const { runId } = (await response.json()) as { runId: string }
  return waitForRun(runId)
}

const marked = {
  name: 'Marked flow',
  trigger: { type: 'webhook', respond: 'sync', methods: ['POST', 'PUT'] },
  nodes: [
    {
      id: 'shape',
      type: 'transform',
      config: { expression: '{ "total": $sum(items), "items": items }' },
    },
    {
      id: 'gate',
      type: 'transform',
      name: 'Only big orders',
      if: 'input.total > 100',
      config: { expression: '$' },
    },
    {
      id: 'each',
      type: 'transform',
      forEach: '{{ steps.shape.output.items }}',
      config: { expression: '{{ item }} * 2' },
    },
    {
      id: 'boom',
      type: 'transform',
      onError: 'continue',
      config: { expression: '$error("no")' },
    },
    { id: 'pause', type: 'delay', config: { seconds: 0 } },
    { id: 'answer', type: 'respond', config: { status: 200 } },
  ],
}

describe('the flow picture on the workflow page', () => {
  it('draws the trigger and each node in order with its marks, before any run', async () => {
    const workflow = await createWorkflow(marked)
    const { html, svg } = await picture(workflow.id)
    expect(svg).toContain('role="img" aria-labelledby="flow-title flow-desc"')
    expect(svg).toContain(
      '<title id="flow-title">The flow of Marked flow: its trigger, then 6 nodes in order</title>',
    )
    // The trigger comes first, with what it accepts.
    expect(svg).toMatch(/<g class="flow-trigger flow-trigger-webhook">[\s\S]*?>Webhook<\/text>/)
    expect(svg).toContain('>POST, PUT</text>')
    expect(svg).toContain('>answers</text>')
    const shown = boxes(svg)
    expect(shown.map((b) => [b.id, b.tags, b.bypass, b.stacked])).toEqual([
      ['shape', [], false, false],
      ['gate', ['if'], true, false],
      ['each', ['each'], false, true],
      ['boom', ['continue'], false, false],
      ['pause', ['wait'], false, false],
      ['answer', ['respond'], false, false],
    ])
    // Five slots a row, the trigger first: the fifth node starts the second row, under it.
    expect(shown[4]!.html).toContain('<rect class="flow-box" x="24" y="')
    expect(svg).toMatch(/<g class="flow-trigger flow-trigger-webhook">[\s\S]*?<rect x="24" y="38"/)
    // The condition is the if's tooltip, and the bypass says what a false one does.
    const gate = shown[1]!.html
    expect(gate).toContain('<title>Runs only if input.total &gt; 100; skipped when false</title>')
    expect(gate).toContain('>only if input.total &gt; 100</text>')
    expect(gate).toContain(
      '<tspan class="flow-num">2 </tspan><tspan dx="3">Only big orders</tspan>',
    )
    expect(shown[2]!.html).toContain(
      '<title>Runs once per element of {{ steps.shape.output.items }}</title>',
    )
    // No run yet: no statuses, and the caption says so.
    expect(shown.every((b) => b.status === undefined && b.html.includes('no run yet'))).toBe(true)
    expect(html).toContain('No run yet: each node shows how it fared once one has run.')
    // The description reads the whole flow for a screen reader, numbered from 1.
    expect(svg).toContain(
      'Step 2, Only big orders (gate), transform: runs only if input.total &gt; 100, skipped when false.',
    )
    expect(svg).toContain('Step 5, pause, delay: pauses the run while it waits.')
    // The picture scrolls inside its card at 390 px rather than shrinking: a keyboard can too.
    expect(html).toContain('<div class="flow-scroll" tabindex="0" role="group"')
    expect(html).toContain('.flow-scroll { overflow-x: auto;')
    // No inline style: every colour comes from a class.
    expect(svg).not.toContain('style=')
  })

  it('marks each node with how it fared in the last run: succeeded, failed, skipped by its if', async () => {
    const workflow = await createWorkflow(marked)
    const run = await runNow(workflow.id, { items: [1, 2] })
    expect(run.status).toBe('completed_with_errors')
    const { html, svg } = await picture(workflow.id)
    expect(boxes(svg).map((b) => [b.id, b.status])).toEqual([
      ['shape', 'succeeded'],
      ['gate', 'skipped'],
      ['each', 'succeeded'],
      ['boom', 'failed'],
      ['pause', 'succeeded'],
      ['answer', 'succeeded'],
    ])
    const shown = boxes(svg)
    expect(shown[0]!.html).toContain('<text class="flow-status" x="')
    expect(shown[0]!.html).toContain('>✓ succeeded</text>')
    expect(shown[1]!.html).toContain('>↷ skipped</text>')
    expect(shown[3]!.html).toContain('>✕ failed</text>')
    expect(shown[3]!.html).toContain('<title>Step 4: boom (transform); last run: failed</title>')
    expect(html).toContain(
      `<a href="/admin/runs/${run.id}">run <code>${run.id.slice(-12)}</code></a>`,
    )
    expect(html).toContain('(completed with errors, version 1, started by hand)')
  })

  it('shows the nodes after a stop as not reached, not as skipped', async () => {
    const workflow = await createWorkflow({
      name: 'Stops',
      trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Paris' },
      nodes: [
        { id: 'fails', type: 'transform', config: { expression: '$error("no")' } },
        { id: 'after', type: 'transform', config: { expression: '$' } },
      ],
    })
    await runNow(workflow.id, {})
    const { svg } = await picture(workflow.id)
    expect(svg).toMatch(/<g class="flow-trigger flow-trigger-schedule">[\s\S]*?>Schedule<\/text>/)
    expect(svg).toContain('>0 9 * * 1</text>')
    expect(svg).toContain('>Europe/Paris</text>')
    expect(boxes(svg).map((b) => [b.id, b.status])).toEqual([
      ['fails', 'failed'],
      ['after', 'not-reached'],
    ])
    expect(boxes(svg)[1]!.html).toContain('>not reached</text>')
  })

  it('marks the node a run waits at while it waits, and the ones after it as not reached', async () => {
    const workflow = await createWorkflow({
      name: 'Waits an hour',
      nodes: [
        { id: 'first', type: 'transform', config: { expression: '$' } },
        { id: 'wait', type: 'delay', config: { seconds: 3600 } },
        { id: 'later', type: 'transform', config: { expression: '$' } },
      ],
    })
    const message = startMessage(workflow.id, {})
    await runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    const { html, svg } = await picture(workflow.id)
    expect(boxes(svg).map((b) => [b.id, b.status])).toEqual([
      ['first', 'succeeded'],
      ['wait', 'waiting'],
      ['later', 'not-reached'],
    ])
    expect(boxes(svg)[1]!.html).toContain('>⏸ waiting</text>')
    expect(html).toContain('(running, version 1, started by hand)')
  })

  it('names a poll trigger by its source and interval', async () => {
    const workflow = await createWorkflow({
      name: 'Polls',
      enabled: false,
      trigger: {
        type: 'poll',
        source: 'http-poll',
        every: '15m',
        config: { url: 'https://api.example.com/items', items: 'items', id: 'id' },
      },
      nodes: [{ id: 'seen', type: 'transform', config: { expression: '$' } }],
    })
    const { svg } = await picture(workflow.id)
    expect(svg).toMatch(/<g class="flow-trigger flow-trigger-poll">[\s\S]*?>Poll<\/text>/)
    expect(svg).toContain('>http-poll</text>')
    expect(svg).toContain('>every 15m</text>')
  })
})

describe('the node list on the workflow page', () => {
  it('shows each node’s if and forEach', async () => {
    const workflow = await createWorkflow(marked)
    const { html } = await picture(workflow.id)
    expect(html).toContain(
      '<dl class="node-marks"><dt>if</dt><dd><code>input.total &gt; 100</code> <span class="muted">(skipped when false)</span></dd></dl>',
    )
    expect(html).toContain(
      '<dt>for each</dt><dd><code>{{ steps.shape.output.items }}</code> <span class="muted">(once per element)</span></dd>',
    )
  })
})
