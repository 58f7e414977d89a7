import type { StoredWorkflow } from '../../../store/workflows'
import { Notice } from '../components/error-box'
import type { WorkflowVersion } from '../../../store/workflow-versions'
import { findSecrets } from '../../../workflow/secret-warnings'
import type { MissingCredential } from '../../../credentials/check-workflow'
import { CsrfField } from '../components/csrf-field'
import { DraftBanner } from '../components/draft-banner'
import { ErrorList, type ShownError } from '../components/field-errors'
import { formatTime, prettyJson } from '../lib/format'
import { Layout } from '../components/layout'
import { MemoryCard } from '../components/memory-card'
import { PollCard } from '../components/poll-card'
import {
  NotionVerificationCard,
  type NotionVerificationView,
} from '../components/notion-verification-card'
import type { PollRow } from '../../../store/polls'
import type { MemoryKeyView } from '../../../store/memory-keys'
import { NodeConfig } from '../components/node-config'
import { PostButton } from '../components/post-button'
import type { RunsView } from '../lib/load-runs'
import { IN_PROGRESS, RunsTable } from '../components/runs-table'
import { EnabledBadge } from '../components/status-badge'
import { FlowCaption, FlowHint, FlowPicture } from '../components/flow-picture'
import type { FlowView } from '../lib/flow-view'
import { Timestamp } from '../components/timestamp'
import { WebhookUrl } from '../components/webhook-url'

type WorkflowPageProps = {
  workflow: StoredWorkflow
  /** Only right after the token was made (created, rotated): D1 keeps its hash alone. */
  webhookUrl: string | null
  /** Where the URL lives, its token left out, when the URL itself cannot be shown. */
  webhookBase: string
  runs: RunsView
  versions: WorkflowVersion[]
  /** A one-line confirmation of what was just done (saved, token rotated). */
  notice?: string
  /** The test payload as typed, and what was wrong with it. */
  payload?: { text: string; errors: ShownError[] }
  /** The first keys of its memory between runs, and whether there are more. */
  memory: { keys: MemoryKeyView[]; nextCursor: string | null }
  /** Credentials its nodes name that do not exist (the save's CREDENTIAL_MISSING warnings). */
  missingCredentials?: MissingCredential[]
  /** Its poll trigger's state, for a workflow polled while enabled. */
  poll?: PollRow | null
  /** Notion's handshake, for a webhook signed with the notion preset (undefined otherwise). */
  notion?: NotionVerificationView
  /** Its nodes as a picture, with how each fared in the last run. */
  flow: FlowView
  /** When its unpublished draft was saved, if it has one. */
  draftSavedAt?: number
}

/**
 * What the save's `warnings` said, shown for as long as the definition holds it: after a save
 * from the editor (which lands here) and on every later visit, until it is moved to a credential.
 */
function SecretWarnings({ workflow }: { workflow: StoredWorkflow }) {
  const found = findSecrets(workflow)
  if (found.length === 0) return null
  return (
    <div class="warn-box" role="status">
      <strong>This workflow holds what looks like a secret.</strong> It was saved, but it is kept in
      every version and shown here and by the API; store it as a credential and name it in{' '}
      <code>config.credential</code> (<a href="/admin/credentials">Credentials</a>).
      <ul>
        {found.map(({ path, label, credential }) => (
          <li>
            <code>{path}</code> looks like {label}: use {credential}.
          </li>
        ))}
      </ul>
    </div>
  )
}

/** Names with no credential behind them, shown until the credential exists or the name is fixed. */
function MissingCredentials({ missing }: { missing: MissingCredential[] }) {
  if (missing.length === 0) return null
  return (
    <div class="warn-box" role="status">
      <strong>A credential this workflow names does not exist.</strong> Its step fails with{' '}
      <code>CREDENTIAL_NOT_FOUND</code> until you add it (
      <a href="/admin/credentials">Credentials</a>) or fix the name.
      <ul>
        {missing.map(({ path, name, suggestion }) => (
          <li>
            <code>{path}</code> names <code>{name}</code>
            {suggestion ? (
              <>
                : did you mean <code>{suggestion}</code>?
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  )
}

export function definitionOf(workflow: StoredWorkflow) {
  const { id, version, hookToken, hookTokenHash, createdAt, updatedAt, ...definition } = workflow
  return definition
}

export function WorkflowPage(props: WorkflowPageProps) {
  const { workflow, webhookUrl, runs, versions } = props
  const { id, version } = workflow
  const path = `/admin/workflows/${encodeURIComponent(id)}`
  const payload = props.payload ?? { text: '{}', errors: [] }
  return (
    <Layout title={workflow.name} signedIn>
      {/* The answer to a create or rotate POST is this page at that POST's URL: the script shows
          the workflow's own address instead, so a reload reads the page and posts nothing. */}
      <div class="page-head" data-canonical-path={path}>
        <div>
          <h1>
            {workflow.name} <EnabledBadge enabled={workflow.enabled} />
          </h1>
          <p class="muted small">
            <code>{id}</code> · version {version} · {workflow.nodes.length}{' '}
            {workflow.nodes.length === 1 ? 'node' : 'nodes'} · updated{' '}
            <Timestamp iso={new Date(workflow.updatedAt).toISOString()} /> UTC
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href={`${path}/edit`}>
            Edit
          </a>
          <a class="button" href={`${path}/export`} download={`${slug(workflow.name)}.json`}>
            Export JSON
          </a>
          <PostButton
            action={`${path}/enabled`}
            fields={{ enabled: workflow.enabled ? 'false' : 'true' }}
          >
            {workflow.enabled ? 'Disable' : 'Enable'}
          </PostButton>
          <PostButton
            action={`${path}/delete`}
            danger
            confirm={`Delete "${workflow.name}"? Its webhook stops answering; past runs stay.`}
          >
            Delete
          </PostButton>
        </div>
      </div>
      <Notice text={props.notice} />
      {props.draftSavedAt === undefined ? null : (
        <DraftBanner workflowId={id} savedAt={props.draftSavedAt} liveVersion={version} />
      )}
      <SecretWarnings workflow={workflow} />
      <MissingCredentials missing={props.missingCredentials ?? []} />
      <div class="two-col">
        <section class="card">
          <div class="card-head">
            <h2>Webhook URL</h2>
            {workflow.enabled ? null : (
              <span class="muted small">answers 404 while the workflow is disabled</span>
            )}
          </div>
          <div class="card-body">
            {webhookUrl ? (
              <>
                <WebhookUrl url={webhookUrl} />
                <p class="small muted" role="status">
                  Copy it now: this is the only time it is shown (AutomateOS keeps a hash of the
                  token, not the token).
                </p>
              </>
            ) : (
              <p class="small muted">
                <code>{props.webhookBase}/&lt;token&gt;</code>: the token was shown once, when it
                was made, and is stored hashed. Lost it? Rotate the token for a new URL.
              </p>
            )}
            <form
              method="post"
              action={`${path}/rotate-token`}
              data-confirm="Rotate the token? The current webhook URL stops working at once."
            >
              <CsrfField />
              <p class="small muted">
                The token in the URL is its password. Rotating it makes a new URL; the old one
                answers 404 at once.
              </p>
              <button type="submit">Rotate token</button>
            </form>
          </div>
        </section>
        <section class="card">
          <div class="card-head">
            <h2>Run now</h2>
            <span class="muted small">runs even while disabled</span>
          </div>
          <div class="card-body">
            <form method="post" action={`${path}/run`}>
              <CsrfField />
              <ErrorList errors={payload.errors} id="payload-errors" title="Not started:" />
              <div class="field">
                <label for="payload">Test payload (JSON, the run's input)</label>
                <textarea
                  id="payload"
                  name="payload"
                  class="code payload"
                  spellcheck={false}
                  aria-invalid={payload.errors.length ? 'true' : undefined}
                  aria-describedby={payload.errors.length ? 'payload-errors' : undefined}
                >
                  {`\n${payload.text}`}
                </textarea>
              </div>
              <button type="submit" class="primary">
                Run now
              </button>
            </form>
          </div>
        </section>
      </div>
      <section class="card" aria-labelledby="flow-heading">
        <div class="card-head">
          <h2 id="flow-heading">Flow</h2>
        </div>
        <div class="card-body">
          <FlowPicture view={props.flow} />
          <FlowHint />
          <FlowCaption view={props.flow} />
        </div>
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Nodes</h2>
          <span class="muted small">
            trigger: {workflow.trigger.type} · on error: {workflow.onError}
          </span>
        </div>
        <ol class="steps">
          {workflow.nodes.map((node, index) => (
            <li class="step">
              <div class="step-head">
                <span class="step-index">{index + 1}</span>
                <strong>{node.name ?? node.id}</strong>
                {node.name ? <code>{node.id}</code> : null}
                <a class="muted" href={`/admin/nodes#node-${node.type}`}>
                  {node.type}
                </a>
                {node.onError ? <span class="muted small">on error: {node.onError}</span> : null}
                {node.retry ? (
                  <span class="muted small">up to {node.retry.maxAttempts} attempts</span>
                ) : null}
              </div>
              <NodeMarks node={node} />
              <NodeConfig config={node.config} />
            </li>
          ))}
        </ol>
      </section>
      {props.poll ? <PollCard path={path} poll={props.poll} /> : null}
      {props.notion !== undefined ? <NotionVerificationCard verification={props.notion} /> : null}
      <VersionsCard path={path} versions={versions} current={version} />
      <MemoryCard path={path} keys={props.memory.keys} more={props.memory.nextCursor !== null} />
      <RunsTable
        runs={runs.runs}
        labels={runs.labels}
        title="Recent runs"
        showWorkflow={false}
        live={runs.runs.some((r) => IN_PROGRESS.has(r.status))}
        headExtra={<a href={`/admin/runs?workflowId=${encodeURIComponent(id)}`}>All its runs</a>}
        emptyText="No runs yet: post to the webhook URL or use Run now."
      />
      <details class="card">
        <summary class="card-head">Definition (JSON)</summary>
        <div class="card-body">
          <pre>{prettyJson(definitionOf(workflow))}</pre>
        </div>
      </details>
    </Layout>
  )
}

/** What runs the node, and how often: its `if` and `forEach` as written. */
function NodeMarks({ node }: { node: StoredWorkflow['nodes'][number] }) {
  if (node.if === undefined && node.forEach === undefined) return null
  return (
    <dl class="node-marks">
      {node.if !== undefined ? (
        <>
          <dt>if</dt>
          <dd>
            <code>{node.if}</code> <span class="muted">(skipped when false)</span>
          </dd>
        </>
      ) : null}
      {node.forEach !== undefined ? (
        <>
          <dt>for each</dt>
          <dd>
            <code>{node.forEach}</code>{' '}
            <span class="muted">
              (once per element
              {node.forEachLimit !== undefined ? `, at most ${node.forEachLimit}` : ''})
            </span>
          </dd>
        </>
      ) : null}
    </dl>
  )
}

function VersionsCard(props: { path: string; versions: WorkflowVersion[]; current: number }) {
  const { path, versions, current } = props
  const previous = versions.find((v) => v.version < current)
  return (
    <section class="card">
      <div class="card-head">
        <h2>Versions</h2>
        <span class="muted small">{versions.length} saved</span>
      </div>
      <div class="card-body">
        {versions.length > 1 ? (
          <form method="get" action={`${path}/diff`} class="filter-form">
            <label>
              From
              <select name="from">
                {versions.map((v) => (
                  <option value={String(v.version)} selected={v.version === previous?.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
            <label>
              To
              <select name="to">
                {versions.map((v) => (
                  <option value={String(v.version)} selected={v.version === current}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Compare</button>
          </form>
        ) : null}
        <ul class="fields">
          {versions.map((v) => (
            <li>
              <a href={`${path}/diff?from=${v.version}&to=${v.version}`}>v{v.version}</a>{' '}
              <span class="muted">
                {formatTime(new Date(v.createdAt).toISOString())} UTC · {v.name} · {v.nodes}{' '}
                {v.nodes === 1 ? 'node' : 'nodes'}
                {v.version === current ? ' · current' : ''}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}

export function slug(name: string) {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'workflow'
  )
}
