import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BIG_BUDGET, holdingQueue, startMessage } from '../../../../test/engine-fixtures'
import { admin, createWorkflow, getRun, waitForRun } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'
import { runWorkflow } from '../../../engine/run-workflow'
import { rememberSecret } from '../../../redact/known-secrets'
import { REDACTED } from '../../../redact/redact'

async function runNow(workflowId: string, input: unknown) {
  const response = await admin(`/api/workflows/${workflowId}/runs`, { method: 'POST', json: input })
  const { runId } = (await response.json()) as { runId: string }
  return waitForRun(runId)
}

const runPage = async (runId: string) =>
  (await (await signedIn()).page(`/admin/runs/${runId}`)).html

const steps = (html: string) =>
  [...html.matchAll(/<li class="step status-(\w+)" id="step-(\d+)">([\s\S]*?)<\/li>/g)].map(
    (m) => ({ status: m[1], number: m[2], html: m[3]! }),
  )

describe('the run page tells the whole truth', () => {
  it('does not blame the step before a last node its own if skipped', async () => {
    const workflow = await createWorkflow({
      name: 'If on the last node',
      nodes: [
        { id: 'shape', type: 'transform', config: { expression: '{ "total": 5 }' } },
        { id: 'big', type: 'transform', if: 'input.total > 100', config: { expression: '$' } },
      ],
    })
    const run = await runNow(workflow.id, {})
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'skipped'])
    const html = await runPage(run.id)
    expect(html).not.toContain('ended early')
    expect(html).not.toContain('A node ended this run early')
    expect(html).not.toContain('ended the run')
    const [, big] = steps(html)
    expect(big!.status).toBe('skipped')
    expect(big!.html).toContain(
      '<div class="note-box">Skipped: if is false: input.total &gt; 100</div>',
    )
  })

  it('still names the node that ended a run early when an if-skipped node comes before it', async () => {
    const workflow = await createWorkflow({
      name: 'If, then a filter',
      nodes: [
        { id: 'maybe', type: 'transform', if: 'false', config: { expression: '$' } },
        { id: 'shape', type: 'transform', config: { expression: '{ "total": 5 }' } },
        { id: 'big', type: 'filter', config: { condition: 'total >= 100' } },
        { id: 'after', type: 'transform', config: { expression: '$' } },
      ],
    })
    const run = await runNow(workflow.id, {})
    const html = await runPage(run.id)
    expect(html).toContain(
      'A node ended this run early: <a href="#step-3">step 3 (big)</a>, condition is false: total &gt;= 100. 1 step did not run.',
    )
  })

  it('says what a paused run waits for, and until when, instead of “no step has finished”', async () => {
    const workflow = await createWorkflow({
      name: 'Waits an hour',
      nodes: [
        { id: 'pause', type: 'delay', config: { seconds: 3600 } },
        { id: 'after', type: 'transform', config: { expression: '$' } },
      ],
    })
    const message = startMessage(workflow.id, {})
    await runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    const wait = run.waitingFor as { until: string; since: string }
    expect(wait).toMatchObject({ stepIndex: 0, nodeId: 'pause', for: 'delay' })
    const html = await runPage(message.runId)
    expect(html).not.toContain('No step has finished yet')
    const until = `<time datetime="${wait.until}" title="${wait.until} (UTC)">`
    expect(html).toContain(
      `Paused at <a href="#step-1">step 1 (pause)</a>, which waits out a delay until ${until}`,
    )
    const [waiting] = steps(html)
    expect(waiting!.status).toBe('waiting')
    expect(waiting!.number).toBe('1')
    expect(waiting!.html).toContain('<span class="badge badge-waiting">waiting</span>')
    expect(waiting!.html).toContain(`since <time datetime="${wait.since}"`)
  })

  it('says a run waits for a call to its resume URL', async () => {
    const workflow = await createWorkflow({
      name: 'Waits for a call',
      nodes: [
        { id: 'first', type: 'transform', config: { expression: '$' } },
        { id: 'approval', type: 'wait-for-webhook', config: { timeoutSeconds: 3600 } },
      ],
    })
    const message = startMessage(workflow.id, {})
    const deps = {
      db: env.DB,
      queue: holdingQueue().queue,
      publicUrl: 'http://automateos.test',
      // The resume URL's token is derived from the encryption key (SECURITY.md).
      keySlots: env,
    }
    await runWorkflow(deps, message, BIG_BUDGET)
    const html = await runPage(message.runId)
    expect(html).toContain(
      'Paused at <a href="#step-2">step 2 (approval)</a>, which waits for a call to its resume URL until <time',
    )
    expect(html).toContain('(UTC) at the latest.')
    expect(steps(html).map((s) => [s.number, s.status])).toEqual([
      ['1', 'succeeded'],
      ['2', 'waiting'],
    ])
  })

  it("shows each step's config as sent, closed, redacted as the API has it", async () => {
    const secret = 'sk-page-test-0123456789abcdef'
    rememberSecret(secret)
    const workflow = await createWorkflow({
      name: 'Config as sent',
      nodes: [
        {
          id: 'shape',
          type: 'set',
          config: { fields: { to: '{{ input.email }}', key: '{{ input.key }}' } },
        },
        { id: 'plain', type: 'transform', config: { expression: '{ "done": true }' } },
      ],
    })
    const run = await runNow(workflow.id, { email: 'ada@example.com', key: secret })
    expect(run.status).toBe('succeeded')
    const config = (run.steps[0] as unknown as { config: unknown }).config
    expect(config).toEqual({ fields: { to: 'ada@example.com', key: REDACTED } })
    const [shape, plain] = steps(await runPage(run.id))
    const shown =
      /<details id="step-1-config"><summary>Config as sent \(templates filled in\)<\/summary><pre>([\s\S]*?)<\/pre>/.exec(
        shape!.html,
      )
    expect(shown?.[1]).toBe(JSON.stringify(config, null, 2).replaceAll('"', '&quot;'))
    expect(shown![1]).not.toContain(secret)
    // A node with no templates got its config as written in the version that ran.
    expect(plain!.html).toContain(
      '<details id="step-2-config"><summary>Config as sent (as written, no templates)</summary><pre>{\n  &quot;expression&quot;: &quot;{ \\&quot;done\\&quot;: true }&quot;\n}</pre>',
    )
  })

  it('keeps the runs filter inside its card at 390 px', async () => {
    const { html } = await (await signedIn()).page('/admin/runs')
    expect(html).toContain(
      '<form method="get" action="/admin/runs" class="filter-form" role="search">',
    )
    // The controls shrink to the card (a long workflow name cannot widen its select), and at
    // phone width each takes a line of its own; test/browser/flow-page.test.ts measures it.
    expect(html).toContain('.filter-form select { max-width: 100%; }')
    expect(html).toMatch(
      /@media \(max-width: 700px\) \{[^@]*\.filter-form > label \{ flex: 1 1 100%; \}/,
    )
  })
})
