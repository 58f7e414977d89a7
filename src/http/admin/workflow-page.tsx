import type { StoredWorkflow } from '../../store/workflows'
import { Layout } from './layout'
import type { RunsView } from './load-runs'
import { RunsTable } from './runs-table'
import { EnabledBadge } from './status-badge'
import { Timestamp } from './timestamp'
import { WebhookUrl } from './webhook-url'
import { prettyJson } from './format'

type WorkflowPageProps = {
  workflow: StoredWorkflow
  webhookUrl: string
  runs: RunsView
}

export function WorkflowPage({ workflow, webhookUrl, runs }: WorkflowPageProps) {
  const { id, version, hookToken, createdAt, updatedAt, ...definition } = workflow
  const path = `/admin/workflows/${encodeURIComponent(id)}`
  return (
    <Layout title={workflow.name} signedIn>
      <div class="page-head">
        <h1>
          {workflow.name} <EnabledBadge enabled={workflow.enabled} />
        </h1>
        <p class="muted small">
          <code>{id}</code> · version {version} · {workflow.nodes.length}{' '}
          {workflow.nodes.length === 1 ? 'node' : 'nodes'} · updated{' '}
          <Timestamp iso={new Date(updatedAt).toISOString()} /> UTC
        </p>
      </div>
      <section class="card">
        <div class="card-head">
          <h2>Webhook URL</h2>
          {workflow.enabled ? null : (
            <span class="muted small">answers 404 while the workflow is disabled</span>
          )}
        </div>
        <div class="card-body">
          <WebhookUrl url={webhookUrl} />
        </div>
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Definition</h2>
          <span class="muted small">
            <code>PUT /api/workflows/{id}</code> with this body saves a new version
          </span>
        </div>
        <div class="card-body">
          <pre>{prettyJson(definition)}</pre>
        </div>
      </section>
      <RunsTable {...runs} basePath={path} title="Recent runs" showWorkflow={false} />
    </Layout>
  )
}
