import { CsrfField } from '../components/csrf-field'
import { ErrorList, type ShownError } from '../components/field-errors'
import { Layout } from '../components/layout'
import { type CatalogueEntry, NodeCatalogue } from '../components/node-catalogue'
import { TemplateHelp } from '../components/template-help'
import { Timestamp } from '../components/timestamp'

type EditorPageProps = {
  /** What the form editor builds itself from (lib/builder-data.ts); none: the JSON text only. */
  builder?: unknown
  /** The workflow being edited; none for a new one. */
  workflow?: { id: string; name: string; version: number }
  /** Its unpublished draft: when it was saved, and whether the text is that draft. */
  draft?: { savedAt: number; shown: boolean }
  text: string
  errors?: ShownError[]
  catalogue: CatalogueEntry[]
}

export const NEW_WORKFLOW = `{
  "name": "My workflow",
  "enabled": true,
  "trigger": { "type": "webhook" },
  "onError": "stop",
  "nodes": [
    {
      "id": "shape",
      "type": "transform",
      "config": { "expression": "{ \\"greeting\\": \\"Hello, \\" & name }" }
    }
  ]
}
`

export function EditorPage(props: EditorPageProps) {
  const { workflow, draft, text, errors = [], catalogue, builder } = props
  const action = workflow
    ? `/admin/workflows/${encodeURIComponent(workflow.id)}/edit`
    : '/admin/workflows/new'
  const title = workflow ? `Edit ${workflow.name}` : 'New workflow'
  return (
    <Layout title={title} signedIn>
      <div class="page-head">
        <div>
          <h1>{title}</h1>
          <p class="muted small">
            {workflow ? (
              <>
                Saving makes version {workflow.version + 1}, live at once; runs already started keep
                theirs. Save draft keeps the changes unpublished: webhooks and schedules keep
                running version {workflow.version}.{' '}
                <a href={`/admin/workflows/${encodeURIComponent(workflow.id)}`}>
                  Back to the workflow
                </a>
              </>
            ) : (
              <>The workflow's JSON definition, as POST /api/workflows takes it (see the README).</>
            )}
          </p>
        </div>
      </div>
      {draft ? <DraftNote savedAt={draft.savedAt} shown={draft.shown} /> : null}
      <div class="editor">
        <section class="card">
          <div class="card-body">
            <form method="post" action={action}>
              <CsrfField />
              <ErrorList
                errors={errors}
                id="definition-errors"
                title="Not saved: fix these and save again."
              />
              {/* The form editor (browser/builder/) draws itself here; without scripts, the JSON. */}
              {builder ? (
                <div id="builder" data-builder={JSON.stringify(builder)} hidden></div>
              ) : null}
              <div class="field" id="json-tab">
                <label for="definition">Definition (JSON)</label>
                <textarea
                  id="definition"
                  name="definition"
                  class="code"
                  spellcheck={false}
                  autocapitalize="off"
                  autocomplete="off"
                  aria-invalid={errors.length ? 'true' : undefined}
                  aria-describedby={
                    errors.length ? 'definition-errors definition-hint' : 'definition-hint'
                  }
                >
                  {/* The parser drops one newline right after <textarea>: this one, not the text's. */}
                  {`\n${text}`}
                </textarea>
                <p class="hint" id="definition-hint">
                  Each node needs an <code>id</code>, a <code>type</code> from the list beside and
                  its <code>config</code>. Nodes run in order.
                </p>
              </div>
              <div class="actions">
                <button type="submit" class="primary">
                  {workflow ? 'Save new version' : 'Create workflow'}
                </button>
                {/* A new workflow has no live version to keep a draft beside. */}
                {workflow ? (
                  <button type="submit" name="save" value="draft">
                    Save draft
                  </button>
                ) : null}
                <button
                  type="button"
                  data-format-json="definition"
                  aria-describedby="format-status"
                  hidden
                >
                  Format JSON
                </button>
                <span id="format-status" class="small muted" role="status"></span>
              </div>
            </form>
          </div>
        </section>
        <div class="side">
          <aside class="card" id="sample-slot" aria-label="Sample data" hidden></aside>
          <aside class="card" aria-label="Template reference">
            <TemplateHelp />
          </aside>
          <NodeCatalogue entries={catalogue} />
        </div>
      </div>
    </Layout>
  )
}

/** Which text the editor holds when the workflow has a draft, and what saving does to it. */
function DraftNote({ savedAt, shown }: { savedAt: number; shown: boolean }) {
  const saved = <Timestamp iso={new Date(savedAt).toISOString()} />
  return (
    <div class="note-box" role="status">
      {shown ? (
        <>
          Editing the unpublished draft saved {saved} UTC. Save draft replaces it; Save new version
          publishes these changes.
        </>
      ) : (
        <>This workflow has an unpublished draft saved {saved} UTC: either save replaces it.</>
      )}
    </div>
  )
}
