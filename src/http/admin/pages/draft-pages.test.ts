import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postAndWait } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'

const echoing = (ran: string, extra: Record<string, unknown> = {}) => ({
  name: 'Drafted in the page',
  nodes: [{ id: ran, type: 'transform', config: { expression: `{ "ran": "${ran}" }` } }],
  ...extra,
})

/** The text of the editor's textarea, as the browser would show it. */
function editorText(html: string) {
  const match = /<textarea id="definition"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(html)
  if (!match) throw new Error('no editor on the page')
  return match[1]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
}

async function apiDraft(id: string) {
  return ((await (await admin(`/api/workflows/${id}`)).json()) as { draft: unknown }).draft
}

describe('drafts in the admin pages', () => {
  it('saves a draft from the editor, shows the banner, and publishes it with the banner form', async () => {
    const workflow = await createWorkflow(echoing('live'))
    const path = `/admin/workflows/${workflow.id}`
    const browser = await signedIn()

    const editor = await browser.page(`${path}/edit`)
    expect(editor.html).toContain(
      '<button type="submit" name="save" value="draft">Save draft</button>',
    )
    expect(editor.html).not.toContain('Editing the unpublished draft')

    const saved = await browser.post(`${path}/edit`, {
      definition: JSON.stringify(echoing('drafted')),
      save: 'draft',
    })
    expect(saved.status).toBe(303)
    expect(saved.location).toBe(`${path}?done=draft-saved`)
    expect(await apiDraft(workflow.id)).toMatchObject({
      definition: { nodes: [{ id: 'drafted' }] },
    })

    const page = await browser.page(`${path}?done=draft-saved`)
    expect(page.html).toContain('Draft saved.')
    expect(page.html).toContain('<strong id="draft-title">Unpublished draft</strong> saved <time')
    expect(page.html).toContain('keep running version\u00a01 until it is published')
    expect(page.html).toContain(`<form method="post" action="${path}/publish">`)
    expect(page.html).toContain(`action="${path}/discard-draft"`)
    expect(page.html).toContain(`<a class="button" href="${path}/edit">Edit draft</a>`)

    // Its changes against the live version, as a diff.
    expect(page.html).toContain(`<a class="button" href="${path}/diff?to=draft">See changes</a>`)
    const diff = await browser.page(`${path}/diff?to=draft`)
    expect(diff.status).toBe(200)
    expect(diff.html).toContain('Version 1 → unpublished draft')
    expect(diff.html).toMatch(/<li class="del">.*&quot;live&quot;/)
    expect(diff.html).toMatch(/<li class="add">.*&quot;drafted&quot;/)

    // The editor opens on the draft; the list marks the workflow.
    const again = await browser.page(`${path}/edit`)
    expect(JSON.parse(editorText(again.html)).nodes[0].id).toBe('drafted')
    expect(again.html).toContain('Editing the unpublished draft saved')
    const older = await browser.page(`${path}/edit?from=1`)
    expect(JSON.parse(editorText(older.html)).nodes[0].id).toBe('live')
    expect(older.html).toContain('This workflow has an unpublished draft saved')
    const list = await browser.page('/admin/workflows')
    const row = new RegExp(`<a href="${path}">[\\s\\S]*?</td>`).exec(list.html)![0]
    expect(row).toContain('unpublished draft')

    // Until published, the webhook runs version 1.
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'live' })

    const published = await browser.post(`${path}/publish`)
    expect(published.status).toBe(303)
    expect(published.location).toBe(`${path}?done=published`)
    const after = await browser.page(`${path}?done=published`)
    expect(after.html).toContain('Published: the draft is the live version now.')
    expect(after.html).not.toContain('draft-title')
    expect(after.html).toContain('version 2')
    const gone = await browser.page(`${path}/diff?to=draft`)
    expect(gone.status).toBe(404)
    expect(gone.html).toContain('has no unpublished draft')
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'drafted' })
    const unmarked = await browser.page('/admin/workflows')
    const plain = new RegExp(`<a href="${path}">[\\s\\S]*?</td>`).exec(unmarked.html)![0]
    expect(plain).not.toContain('unpublished draft')

    // A second publish (a double submit) says why nothing was done.
    const twice = await browser.post(`${path}/publish`)
    expect(twice.status).toBe(400)
    expect(twice.html).toContain(`Workflow ${workflow.id} has no draft to publish`)
  })

  it('discards a draft with the banner form, and keeps it when the workflow is switched off', async () => {
    const workflow = await createWorkflow(echoing('live'))
    const path = `/admin/workflows/${workflow.id}`
    const browser = await signedIn()
    await admin(`/api/workflows/${workflow.id}?draft=true`, {
      method: 'PUT',
      json: echoing('drafted'),
    })

    const disabled = await browser.post(`${path}/enabled`, { enabled: 'false' })
    expect(disabled.status).toBe(303)
    const read = (await (await admin(`/api/workflows/${workflow.id}`)).json()) as {
      enabled: boolean
      draft: { definition: { enabled: boolean; nodes: { id: string }[] } }
    }
    expect(read.enabled).toBe(false)
    expect(read.draft.definition).toMatchObject({ enabled: false, nodes: [{ id: 'drafted' }] })

    const discarded = await browser.post(`${path}/discard-draft`)
    expect(discarded.status).toBe(303)
    expect(discarded.location).toBe(`${path}?done=draft-discarded`)
    expect(await apiDraft(workflow.id)).toBeUndefined()
    const page = await browser.page(`${path}?done=draft-discarded`)
    expect(page.html).toContain('Draft discarded: the live version is unchanged.')
    expect(page.html).not.toContain('draft-title')
  })

  it('shows a refused draft in the editor with its field, and keeps the draft before it', async () => {
    const workflow = await createWorkflow(echoing('live'))
    const path = `/admin/workflows/${workflow.id}`
    const browser = await signedIn()
    await browser.post(`${path}/edit`, {
      definition: JSON.stringify(echoing('kept')),
      save: 'draft',
    })
    const bad = {
      ...echoing('bad'),
      nodes: [{ id: 'call', type: 'http-request', config: { url: 'not a url' } }],
    }
    const refused = await browser.post(`${path}/edit`, {
      definition: JSON.stringify(bad, null, 2),
      save: 'draft',
    })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Not saved: fix these and save again.')
    expect(refused.html).toContain('nodes.0.config.url')
    expect(refused.html).toContain('This workflow has an unpublished draft saved')
    expect(await apiDraft(workflow.id)).toMatchObject({ definition: { nodes: [{ id: 'kept' }] } })
  })

  it('offers no draft for a workflow not created yet', async () => {
    const { html } = await (await signedIn()).page('/admin/workflows/new')
    expect(html).not.toContain('Save draft')
  })
})
