import { Hono } from 'hono'
import type { Context } from 'hono'
import { diffLines, foldUnchanged } from '../lib/line-diff'
import { listMemoryKeys } from '../../../store/memory-keys'
import { pollOf } from '../../../store/polls'
import { workflowActivity } from '../../../store/run-stats'
import { getWorkflowVersion, listWorkflowVersions } from '../../../store/workflow-versions'
import { getSample } from '../../../store/samples'
import { draftTimes, getDraft } from '../../../store/drafts'
import { getWorkflow, listWorkflows } from '../../../store/workflows'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'
import { DiffPage } from '../pages/diff-page'
import { EditorPage, NEW_WORKFLOW } from '../pages/editor-page'
import { type ShownError, locateErrors } from '../components/field-errors'
import { prettyJson } from '../lib/format'
import { builderData } from '../lib/builder-data'
import { loadRuns } from '../lib/load-runs'
import { flowView } from '../lib/flow-view'
import { stepMarks } from '../../../store/admin-queries'
import { MessagePage } from '../pages/message-page'
import { missingCredentials } from '../../../credentials/check-workflow'
import { nodeCatalogue } from '../components/node-catalogue'
import { render } from '../components/page-context'
import { WorkflowPage, definitionOf, slug } from '../pages/workflow-page'
import type { NotionVerificationView } from '../components/notion-verification-card'
import { WorkflowsPage } from '../pages/workflows-page'
import { originOf } from '../../origin'

type C = Context<AdminEnv>

export const workflowPages = new Hono<AdminEnv>()

const pathOf = (id: string) => `/admin/workflows/${encodeURIComponent(id)}`
const DAY = 24 * 3_600_000
/** Memory keys the workflow page lists; the API pages through all of them. */
const MEMORY_SHOWN = 50

// What ?done= on a workflow page says: fixed texts, so a link cannot put words on the page.
const NOTICES: Record<string, string> = {
  created: 'Created. Post to the webhook URL or use Run now to try it.',
  saved: 'Saved as a new version.',
  // The draft's banner, right below, says what still runs.
  'draft-saved': 'Draft saved.',
  published: 'Published: the draft is the live version now.',
  'draft-discarded': 'Draft discarded: the live version is unchanged.',
  enabled: 'Enabled: the webhook URL answers again.',
  disabled: 'Disabled: the webhook URL answers 404 until it is enabled.',
  rotated: 'New webhook URL: the old one answers 404 from now on.',
  'memory-deleted': 'Forgotten: the key is gone from its memory.',
  'memory-cleared': "Cleared: the workflow's memory is empty.",
  'baseline-reset': 'Baseline reset: the next poll records what is there now and starts nothing.',
}

/** What a Poll now did, worded from the numbers in the link (nothing else of it is shown). */
function pollNotice(c: C) {
  const done = c.req.query('done')
  if (done !== 'polled' && done !== 'polled-baseline') return undefined
  const count = (name: string) => Math.max(0, Math.floor(Number(c.req.query(name)) || 0))
  const found = count('found')
  const started = count('started')
  const runs = `${started} ${started === 1 ? 'run' : 'runs'} started`
  if (done === 'polled-baseline') return `Baseline recorded: ${found} existing items, ${runs}.`
  return `Polled: ${found} new ${found === 1 ? 'item' : 'items'}, ${runs}.`
}

async function formText(c: C, field: string): Promise<string> {
  const value = (await c.req.parseBody())[field]
  return typeof value === 'string' ? value : ''
}

function notFound(c: C, id: string) {
  const message = `No workflow has the id ${id}; it may have been deleted.`
  return render(c, <MessagePage title="Not found" message={message} signedIn />, 404)
}

workflowPages.get('/', async (c) => {
  const [workflows, activity, drafts] = await Promise.all([
    listWorkflows(c.env.DB),
    workflowActivity(c.env.DB, Date.now() - DAY),
    draftTimes(c.env.DB),
  ])
  return render(c, <WorkflowsPage workflows={workflows} activity={activity} drafts={drafts} />)
})

workflowPages.get('/new', async (c) =>
  render(
    c,
    <EditorPage
      text={NEW_WORKFLOW}
      catalogue={nodeCatalogue()}
      builder={await builderData(c.env.DB, {})}
    />,
  ),
)

/** Creates from the editor's text; on refusal the editor comes back with the text as typed. */
async function create(c: C, text: string) {
  const answer = await apiCall(c, 'POST', '/api/workflows', text)
  if (answer.status === 201) return withNewUrl(c, answer.body.id, answer.body.webhookUrl, 'created')
  const errors = locateErrors(text, answer)
  const builder = await builderData(c.env.DB, { errors })
  return render(
    c,
    <EditorPage text={text} errors={errors} catalogue={nodeCatalogue()} builder={builder} />,
    400,
  )
}

workflowPages.post('/new', async (c) => create(c, await formText(c, 'definition')))

workflowPages.post('/import', async (c) => {
  const file = (await c.req.parseBody()).file
  if (!(file instanceof File) || file.size === 0) {
    const errors: ShownError[] = [{ message: 'Choose a JSON file to import.' }]
    const [workflows, activity, drafts] = await Promise.all([
      listWorkflows(c.env.DB),
      workflowActivity(c.env.DB, Date.now() - DAY),
      draftTimes(c.env.DB),
    ])
    return render(
      c,
      <WorkflowsPage
        workflows={workflows}
        activity={activity}
        drafts={drafts}
        importErrors={errors}
      />,
      400,
    )
  }
  return create(c, withoutServerFields(await file.text()))
})

/**
 * An exported file is a definition already; one saved from the API's answer also has id,
 * version, webhookUrl, times and the draft, which the schema refuses: those are dropped, nothing
 * else.
 */
function withoutServerFields(text: string): string {
  try {
    const value = JSON.parse(text)
    if (!value || typeof value !== 'object' || Array.isArray(value) || !('webhookUrl' in value))
      return text
    const { id, version, webhookUrl, createdAt, updatedAt, draft, hasDraft, ...definition } = value
    return JSON.stringify(definition, null, 2)
  } catch {
    return text
  }
}

workflowPages.get('/:id', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  return render(c, await workflowPage(c, workflow, {}))
})

async function workflowPage(
  c: C,
  workflow: NonNullable<Awaited<ReturnType<typeof getWorkflow>>>,
  extra: { payload?: { text: string; errors: ShownError[] }; webhookUrl?: string; notice?: string },
) {
  const [runs, versions, memory, missing, poll, sample, draft] = await Promise.all([
    loadRuns(c.env.DB, { workflowId: workflow.id }, { limit: 10 }),
    listWorkflowVersions(c.env.DB, workflow.id),
    listMemoryKeys(c.env.DB, workflow.id, { limit: MEMORY_SHOWN }, Date.now()),
    missingCredentials(c.env.DB, workflow),
    workflow.trigger.type === 'poll' ? pollOf(c.env.DB, workflow.id) : null,
    getSample(c.env.DB, workflow.id),
    getDraft(c.env.DB, workflow.id),
  ])
  const notion = signedByNotion(workflow) ? await notionVerification(c, workflow.id) : undefined
  // The picture marks each node with how it fared in the newest run.
  const newest = runs.runs[0]
  const last = newest ? { run: newest, marks: await stepMarks(c.env.DB, newest.id) } : undefined
  // The test payload box starts from the pinned payload (the last one Run now sent).
  const payload =
    extra.payload ?? (sample ? { text: prettyJson(sample.input), errors: [] } : undefined)
  return (
    <WorkflowPage
      workflow={workflow}
      webhookUrl={extra.webhookUrl ?? null}
      webhookBase={`${originOf(c)}/hooks/${workflow.id}`}
      runs={runs}
      versions={versions}
      notice={extra.notice ?? NOTICES[c.req.query('done') ?? ''] ?? pollNotice(c)}
      payload={payload}
      memory={memory}
      missingCredentials={missing}
      poll={poll}
      notion={notion}
      flow={flowView(workflow, last)}
      draftSavedAt={draft?.savedAt}
    />
  )
}

workflowPages.get('/:id/edit', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  // ?from=N: start from an older version, to restore it or build on it; else from the draft,
  // when there is one, else from the live version.
  const from = Number(c.req.query('from'))
  const [older, draft] = await Promise.all([
    Number.isInteger(from) ? getWorkflowVersion(c.env.DB, id, from) : undefined,
    getDraft(c.env.DB, id),
  ])
  const text = prettyJson(older ?? draft?.definition ?? definitionOf(workflow))
  const builder = await builderData(c.env.DB, { workflowId: id })
  return render(
    c,
    <EditorPage
      workflow={workflow}
      draft={draft && { savedAt: draft.savedAt, shown: !older }}
      text={text}
      catalogue={nodeCatalogue()}
      builder={builder}
    />,
  )
})

workflowPages.post('/:id/edit', async (c) => {
  const id = c.req.param('id')
  const form = await c.req.parseBody()
  const text = typeof form.definition === 'string' ? form.definition : ''
  // "Save draft" is the form's second submit button: the same text, kept unpublished.
  const asDraft = form.save === 'draft'
  const target = `/api/workflows/${encodeURIComponent(id)}${asDraft ? '?draft=true' : ''}`
  const answer = await apiCall(c, 'PUT', target, text)
  if (answer.status === 200)
    return c.redirect(`${pathOf(id)}?done=${asDraft ? 'draft-saved' : 'saved'}`, 303)
  const [workflow, draft] = await Promise.all([getWorkflow(c.env.DB, id), getDraft(c.env.DB, id)])
  if (!workflow) return notFound(c, id)
  const errors = locateErrors(text, answer)
  const builder = await builderData(c.env.DB, { workflowId: id, errors })
  return render(
    c,
    <EditorPage
      workflow={workflow}
      draft={draft && { savedAt: draft.savedAt, shown: false }}
      text={text}
      errors={errors}
      catalogue={nodeCatalogue()}
      builder={builder}
    />,
    400,
  )
})

workflowPages.get('/:id/export', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  // The definition only: no id, version or webhook token, so a file can be shared and imported.
  c.header('Content-Disposition', `attachment; filename="${slug(workflow.name)}.json"`)
  return c.body(`${JSON.stringify(definitionOf(workflow), null, 2)}\n`, 200, {
    'Content-Type': 'application/json; charset=utf-8',
  })
})

workflowPages.get('/:id/diff', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  // ?to=draft: what publishing the draft would change.
  const toDraft = c.req.query('to') === 'draft'
  const from = Number(c.req.query('from') ?? (toDraft ? workflow.version : workflow.version - 1))
  const to = toDraft ? 'draft' : Number(c.req.query('to') ?? workflow.version)
  const [a, b] = await Promise.all([
    Number.isInteger(from) ? getWorkflowVersion(c.env.DB, id, from) : undefined,
    to === 'draft'
      ? getDraft(c.env.DB, id).then((draft) => draft?.definition)
      : Number.isInteger(to)
        ? getWorkflowVersion(c.env.DB, id, to)
        : undefined,
  ])
  if (!a || !b) {
    const message =
      toDraft && a
        ? `${workflow.name} has no unpublished draft.`
        : `${workflow.name} has versions 1 to ${workflow.version}; pick two of them.`
    return render(c, <MessagePage title="No such version" message={message} signedIn />, 404)
  }
  const [before, after] = [prettyJson(a), prettyJson(b)]
  const hunks = foldUnchanged(diffLines(before, after))
  return render(
    c,
    <DiffPage
      workflow={workflow}
      from={from}
      to={to}
      hunks={hunks}
      text={from === to ? after : undefined}
    />,
  )
})

workflowPages.post('/:id/enabled', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  const enabled = (await formText(c, 'enabled')) === 'true'
  const draft = await getDraft(c.env.DB, id)
  const answer = await apiCall(c, 'PUT', `/api/workflows/${encodeURIComponent(id)}`, {
    ...definitionOf(workflow),
    enabled,
  })
  if (answer.status !== 200) return failed(c, answer.message)
  // A plain save discards the draft; switching on or off is no edit, so the draft is saved
  // again, switched the same way (publishing it later does not undo the switch).
  if (draft) {
    const kept = await apiCall(c, 'PUT', `/api/workflows/${encodeURIComponent(id)}?draft=true`, {
      ...draft.definition,
      enabled,
    })
    if (kept.status !== 200)
      return failed(
        c,
        `${enabled ? 'Enabled' : 'Disabled'}, but the draft was lost: ${kept.message}`,
      )
  }
  return c.redirect(`${pathOf(id)}?done=${enabled ? 'enabled' : 'disabled'}`, 303)
})

workflowPages.post('/:id/publish', async (c) => {
  const id = c.req.param('id')
  const answer = await apiCall(c, 'POST', `/api/workflows/${encodeURIComponent(id)}/publish`)
  if (answer.status === 404) return notFound(c, id)
  if (answer.status !== 200) return failed(c, answer.message)
  return c.redirect(`${pathOf(id)}?done=published`, 303)
})

workflowPages.post('/:id/discard-draft', async (c) => {
  const id = c.req.param('id')
  const answer = await apiCall(c, 'DELETE', `/api/workflows/${encodeURIComponent(id)}/draft`)
  if (answer.status === 404) return notFound(c, id)
  if (answer.status !== 204) return failed(c, answer.message)
  return c.redirect(`${pathOf(id)}?done=draft-discarded`, 303)
})

workflowPages.post('/:id/delete', async (c) => {
  const id = c.req.param('id')
  const answer = await apiCall(c, 'DELETE', `/api/workflows/${encodeURIComponent(id)}`)
  if (answer.status === 404) return notFound(c, id)
  if (answer.status !== 204) return failed(c, answer.message)
  return c.redirect('/admin/workflows', 303)
})

workflowPages.post('/:id/rotate-token', async (c) => {
  const id = c.req.param('id')
  const answer = await apiCall(c, 'POST', `/api/workflows/${encodeURIComponent(id)}/rotate-token`)
  if (answer.status === 404) return notFound(c, id)
  if (answer.status !== 200) return failed(c, answer.message)
  return withNewUrl(c, id, answer.body.webhookUrl, 'rotated')
})

/**
 * The workflow's page with its new webhook URL, shown in this answer and never again (D1 keeps
 * the token's hash): not a redirect, which would put it in a URL or lose it.
 */
async function withNewUrl(c: C, id: string, webhookUrl: string, done: 'created' | 'rotated') {
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  c.header('Cache-Control', 'no-store')
  return render(c, await workflowPage(c, workflow, { webhookUrl, notice: NOTICES[done] }))
}

workflowPages.post('/:id/run', async (c) => {
  const id = c.req.param('id')
  const text = await formText(c, 'payload')
  const answer = await apiCall(c, 'POST', `/api/workflows/${encodeURIComponent(id)}/runs`, text)
  if (answer.status === 202) {
    // Run now remembers its payload: it is the workflow's pinned test payload from now on.
    const input = text.trim() ? JSON.parse(text) : {}
    await apiCall(c, 'PUT', `/api/workflows/${encodeURIComponent(id)}/sample`, { input })
    return c.redirect(`/admin/runs/${answer.body.runId}`, 303)
  }
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, id)
  const payload = { text, errors: locateErrors(text, answer) }
  return render(c, await workflowPage(c, workflow, { payload }), 400)
})

function failed(c: C, message = 'The API refused it.') {
  return render(c, <MessagePage title="Not done" message={message} signedIn />, 400)
}

function signedByNotion(workflow: { trigger: { type: string } }) {
  const { signature } = workflow.trigger as { signature?: { preset?: string } }
  return workflow.trigger.type === 'webhook' && signature?.preset === 'notion'
}

/** The handshake as the API shows it (the token only until it is verified); null before any. */
async function notionVerification(c: C, id: string): Promise<NotionVerificationView> {
  const answer = await apiCall(
    c,
    'GET',
    `/api/workflows/${encodeURIComponent(id)}/notion-verification`,
  )
  return answer.status === 200 ? answer.body : null
}
