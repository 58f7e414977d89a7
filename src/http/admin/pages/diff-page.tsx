import { type DiffHunk } from '../lib/line-diff'
import { Layout } from '../components/layout'

type DiffPageProps = {
  workflow: { id: string; name: string }
  from: number
  /** A version, or the unpublished draft. */
  to: number | 'draft'
  hunks: DiffHunk[]
  /** Set when from = to: the version on its own. */
  text?: string
}

const SIGN = { same: ' ', add: '+', del: '−' } as const

export function DiffPage({ workflow, from, to, hunks, text }: DiffPageProps) {
  const path = `/admin/workflows/${encodeURIComponent(workflow.id)}`
  const changes = hunks.filter((h) => h.kind === 'add' || h.kind === 'del').length
  const draft = to === 'draft'
  const toName = draft ? 'the draft' : `version ${to}`
  return (
    <Layout title={`${workflow.name}: v${from} → ${draft ? 'draft' : `v${to}`}`} signedIn>
      <div class="page-head">
        <div>
          <h1>
            {text !== undefined
              ? `Version ${from}`
              : draft
                ? `Version ${from} → unpublished draft`
                : `Version ${from} → ${to}`}
          </h1>
          <p class="muted small">
            <a href={path}>{workflow.name}</a>
            {text === undefined ? ` · ${changes} changed line${changes === 1 ? '' : 's'}` : ''}
          </p>
        </div>
        <div class="actions">
          {draft ? (
            <a class="button" href={`${path}/edit`}>
              Edit draft
            </a>
          ) : (
            <a class="button" href={`${path}/edit?from=${to}`}>
              Edit from v{to}
            </a>
          )}
        </div>
      </div>
      <section class="card">
        {text !== undefined ? (
          <div class="card-body">
            <pre>{text}</pre>
          </div>
        ) : changes === 0 ? (
          <p class="empty">
            {draft ? `The draft is the same as version ${from}.` : 'The two versions are the same.'}
          </p>
        ) : (
          <ul class="diff" aria-label={`Changes from version ${from} to ${toName}`}>
            {hunks.map((h) =>
              h.kind === 'gap' ? (
                <li class="gap">
                  … {h.lines} unchanged line{h.lines === 1 ? '' : 's'}
                </li>
              ) : (
                <li class={h.kind}>
                  <span aria-hidden="true">{SIGN[h.kind]} </span>
                  {h.kind === 'add' ? <span class="sr-only">added: </span> : null}
                  {h.kind === 'del' ? <span class="sr-only">removed: </span> : null}
                  {h.text}
                </li>
              ),
            )}
          </ul>
        )}
      </section>
    </Layout>
  )
}
