import { describe, expect, it } from 'vitest'
import { postForm, signedIn } from '../../../../test/admin-session'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  waitForAccepted,
  waitForRun,
} from '../../../../test/helpers'

/** The run's action forms (the nav's sign-out form left out). */
const forms = (html: string) =>
  [
    ...html.matchAll(
      /<form method="post" action="(\/admin\/runs\/[^"]+)"[^>]*>([\s\S]*?)<\/form>/g,
    ),
  ].map((m) => ({ action: m[1]!, html: m[2]! }))

const stepHtml = (html: string, number: number) =>
  new RegExp(`<li class="step status-\\w+" id="step-${number}">([\\s\\S]*?)</li>`).exec(html)?.[1]

/** Looks an order up, then charges it: the payment API declines once, then takes it. */
async function chargeWorkflow() {
  const upstream = fakeUpstream()
  await upstream.program([
    { method: 'GET', path: '/orders/9', responses: [{ body: { id: 9, total: 30 } }] },
    {
      method: 'POST',
      path: '/charge',
      responses: [{ status: 503, body: { error: 'payments down' } }, { body: { charged: 30 } }],
    },
  ])
  const workflow = await createWorkflow({
    name: 'Charge from the page',
    nodes: [
      {
        id: 'order',
        type: 'http-request',
        config: { method: 'GET', url: upstream.url('/orders/9') },
      },
      {
        id: 'charge',
        type: 'http-request',
        config: {
          method: 'POST',
          url: upstream.url('/charge'),
          body: { amount: '{{ steps.order.output.body.total }}' },
        },
      },
    ],
  })
  const run = await waitForAccepted(
    await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST', json: {} }),
  )
  expect(run.status).toBe('failed')
  return { upstream, workflow, run }
}

describe('replay and resume on the admin page', () => {
  it('resumes a failed run from its page: CSRF required, then the new run with its reused step', async () => {
    const { upstream, run } = await chargeWorkflow()
    const session = await signedIn()
    const { html } = await session.page(`/admin/runs/${run.id}`)
    const actions = forms(html).map((f) => f.action)
    expect(actions).toEqual([
      `/admin/runs/${run.id}/resume`,
      `/admin/runs/${run.id}/replay`,
      `/admin/runs/${run.id}/dismiss`,
    ])
    expect(html).toContain('Resume from the failed step on v1 (current)')

    // Without the session's form token, nothing starts.
    const forged = await postForm(`/admin/runs/${run.id}/resume`, {}, { cookie: session.cookie })
    expect(forged.status).toBe(403)
    expect(await forged.text()).toContain('Form expired')
    const wrong = await postForm(
      `/admin/runs/${run.id}/resume`,
      { _csrf: '0'.repeat(64) },
      { cookie: session.cookie },
    )
    expect(wrong.status).toBe(403)
    expect((await upstream.received()).requests).toHaveLength(2)

    const resumed = await session.post(`/admin/runs/${run.id}/resume`)
    expect(resumed.status).toBe(303)
    const newId = /^\/admin\/runs\/([0-9a-f-]{36})$/.exec(resumed.location ?? '')?.[1]
    expect(newId).toBeDefined()
    const finished = await waitForRun(newId!)
    expect(finished.status).toBe('succeeded')
    expect(finished.resumedFrom).toBe(run.id)
    expect((await upstream.received()).requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /orders/9',
      'POST /charge',
      'POST /charge',
    ])

    const page = await session.page(resumed.location!)
    expect(page.html).toContain(
      `<dt>Resumed from</dt><dd><a href="/admin/runs/${run.id}" title="${run.id}">run <code>${run.id.slice(-12)}</code></a></dd>`,
    )
    const reused = stepHtml(page.html, 1)!
    expect(reused).toContain('<span class="badge badge-reused">reused</span>')
    expect(reused).toContain(`<a href="/admin/runs/${run.id}#step-1">`)
    expect(reused).not.toContain('class="bar"')
    expect(stepHtml(page.html, 2)).not.toContain('badge-reused')
    expect(stepHtml(page.html, 2)).toContain('class="bar"')

    // Resumed is dealt with: the old run left the inbox, offers no dismiss, and no second
    // resume: it links to the run that resumed it instead.
    expect((await session.page('/admin/inbox')).html).not.toContain(`id="inbox-${run.id}"`)
    const old = (await session.page(`/admin/runs/${run.id}`)).html
    expect(forms(old).map((f) => f.action)).toEqual([`/admin/runs/${run.id}/replay`])
    expect(old).toContain(
      `<dt>Resumed by</dt><dd><a href="/admin/runs/${newId}" title="${newId}">run <code>${newId!.slice(-12)}</code></a></dd>`,
    )
    expect(old).not.toContain('Resume from the failed step')
    // A second click on a stale page is refused, and nothing runs again.
    const twice = await session.post(`/admin/runs/${run.id}/resume`)
    expect(twice.status).toBe(409)
    expect((await upstream.received()).requests).toHaveLength(3)
  })

  it('offers the resume on the version the run ran on and on the current one, labelled', async () => {
    const { upstream, workflow, run } = await chargeWorkflow()
    const stored = (await (await admin(`/api/workflows/${workflow.id}`)).json()) as Record<
      string,
      unknown
    >
    const { id: _, version: __, webhookUrl: ___, createdAt: _c, updatedAt: _u, ...v1 } = stored
    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'PUT', json: v1 })).status).toBe(
      200,
    )
    const session = await signedIn()
    const { html } = await session.page(`/admin/runs/${run.id}`)
    expect(forms(html).map((f) => f.action)).toEqual([
      `/admin/runs/${run.id}/resume`,
      `/admin/runs/${run.id}/resume`,
      `/admin/runs/${run.id}/replay`,
      `/admin/runs/${run.id}/replay`,
      `/admin/runs/${run.id}/dismiss`,
    ])
    expect(html).toContain('Resume from the failed step on v1 (as it ran)')
    expect(html).toContain('Resume from the failed step on v2 (current)')
    expect(html).toContain('<input type="hidden" name="version" value="current"/>')

    const resumed = await session.post(`/admin/runs/${run.id}/resume`, { version: 'current' })
    expect(resumed.status).toBe(303)
    const finished = await waitForRun(resumed.location!.split('/').pop()!)
    expect(finished.workflowVersion).toBe(2)
    expect(finished.resumedFrom).toBe(run.id)
    expect((await upstream.received()).requests).toHaveLength(3)
  })

  it('lists a run completed with errors in the inbox and resumes it from there', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/flaky', responses: [{ status: 500, body: 'oops' }, { body: { ok: true } }] },
    ])
    const workflow = await createWorkflow({
      name: 'Goes on',
      onError: 'continue',
      nodes: [
        { id: 'first', type: 'transform', config: { expression: '{ "a": 1 }' } },
        {
          id: 'flaky',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/flaky') },
        },
        { id: 'last', type: 'transform', config: { expression: '{ "done": true }' } },
      ],
    })
    const run = await waitForAccepted(
      await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST', json: {} }),
    )
    expect(run.status).toBe('completed_with_errors')
    const session = await signedIn()
    const inbox = await session.page('/admin/inbox')
    const entry = new RegExp(
      `<li class="step status-completed_with_errors" id="inbox-${run.id}">([\\s\\S]*?)</li>`,
    ).exec(inbox.html)?.[1]
    expect(entry).toContain(
      '<span class="badge badge-completed_with_errors">completed with errors</span>',
    )
    expect(entry).toContain(`action="/admin/runs/${run.id}/resume"`)

    const resumed = await session.post(`/admin/runs/${run.id}/resume`, { from: 'inbox' })
    expect(resumed.status).toBe(303)
    const finished = await waitForRun(resumed.location!.split('/').pop()!)
    expect(finished.status).toBe('succeeded')
    expect(finished.steps.map((s) => s.reusedFrom)).toEqual([run.id, null, null])
    expect((await session.page('/admin/inbox')).html).not.toContain(`id="inbox-${run.id}"`)
  })

  it('replays on the current version or on the one the run ran on', async () => {
    const v1 = {
      name: 'Versions',
      nodes: [{ id: 'one', type: 'transform', config: { expression: '{ "v": 1, "n": n }' } }],
    }
    const workflow = await createWorkflow(v1)
    const run = await waitForAccepted(
      await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST', json: { n: 5 } }),
    )
    const session = await signedIn()
    // Same version: one Replay button, and no resume for a run that succeeded.
    expect(forms((await session.page(`/admin/runs/${run.id}`)).html).map((f) => f.action)).toEqual([
      `/admin/runs/${run.id}/replay`,
    ])
    const edited = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: {
        ...v1,
        nodes: [{ id: 'two', type: 'transform', config: { expression: '{ "v": 2, "n": n }' } }],
      },
    })
    expect(edited.status).toBe(200)
    const { html } = await session.page(`/admin/runs/${run.id}`)
    const replays = forms(html).filter((f) => f.action.endsWith('/replay'))
    expect(replays.map((f) => />([^<]+)<\/button>/.exec(f.html)?.[1])).toEqual([
      'Replay on v2 (current)',
      'Replay on v1 (as it ran)',
    ])
    expect(replays[1]!.html).toContain('<input type="hidden" name="version" value="original"/>')

    for (const [fields, version, output] of [
      [{ version: 'original' }, 1, { v: 1, n: 5 }],
      [{}, 2, { v: 2, n: 5 }],
    ] as const) {
      const replayed = await session.post(`/admin/runs/${run.id}/replay`, fields)
      expect(replayed.status).toBe(303)
      const finished = await waitForRun(replayed.location!.split('/').pop()!)
      expect(finished).toMatchObject({ workflowVersion: version, replayOf: run.id, output })
      const page = await session.page(replayed.location!)
      expect(page.html).toContain(`<dt>Replay of</dt><dd><a href="/admin/runs/${run.id}"`)
    }
  })

  it('says why a run cannot be resumed, and 404s an unknown one', async () => {
    const workflow = await createWorkflow({
      name: 'Fine',
      nodes: [{ id: 'ok', type: 'transform', config: { expression: '$' } }],
    })
    const run = await waitForAccepted(
      await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST', json: {} }),
    )
    const session = await signedIn()
    const refused = await session.post(`/admin/runs/${run.id}/resume`)
    expect(refused.status).toBe(409)
    expect(refused.html).toContain('<h1>Not resumed</h1>')
    expect(refused.html).toContain(
      `Run ${run.id} cannot be resumed: it succeeded, so there is nothing to resume (replay it instead)`,
    )
    const unknown = await session.post(`/admin/runs/${crypto.randomUUID()}/replay`)
    expect(unknown.status).toBe(404)
  })
})
