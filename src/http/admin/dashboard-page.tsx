import type { StoredWorkflow } from '../../store/workflows'
import { Layout } from './layout'
import type { RunsView } from './load-runs'
import { RunsTable } from './runs-table'
import { EnabledBadge } from './status-badge'
import { WebhookUrl } from './webhook-url'

type DashboardProps = {
  workflows: (StoredWorkflow & { webhookUrl: string })[]
  runs: RunsView
  origin: string
}

export function DashboardPage({ workflows, runs, origin }: DashboardProps) {
  return (
    <Layout signedIn>
      <section class="card">
        <div class="card-head">
          <h2>Workflows</h2>
          <span class="muted small">{workflows.length} in total</span>
        </div>
        {workflows.length === 0 ? (
          <div class="empty">
            No workflows yet. Create one with the API:
            <pre>{createExample(origin)}</pre>
          </div>
        ) : (
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>State</th>
                  <th class="num">Version</th>
                  <th class="num">Nodes</th>
                  <th>Webhook URL</th>
                </tr>
              </thead>
              <tbody>
                {workflows.map((w) => (
                  <tr>
                    <td>
                      <a href={`/admin/workflows/${encodeURIComponent(w.id)}`}>{w.name}</a>
                    </td>
                    <td>
                      <EnabledBadge enabled={w.enabled} />
                    </td>
                    <td class="num">v{w.version}</td>
                    <td class="num" data-label={w.nodes.length === 1 ? 'node' : 'nodes'}>
                      {w.nodes.length}
                    </td>
                    <td class="wide">
                      <WebhookUrl url={w.webhookUrl} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RunsTable {...runs} basePath="/admin" title="Recent runs" />
    </Layout>
  )
}

function createExample(origin: string) {
  const body = {
    name: 'Hello',
    nodes: [{ id: 'hello', type: 'transform', config: { expression: '$' } }],
  }
  return [
    `curl -X POST ${origin}/api/workflows \\`,
    `  -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body)}'`,
  ].join('\n')
}
