import { Layout } from '../components/layout'
import { type CatalogueEntry, NodeFields } from '../components/node-catalogue'

export function NodesPage({ entries }: { entries: CatalogueEntry[] }) {
  return (
    <Layout title="Nodes" signedIn>
      <div class="page-head">
        <div>
          <h1>Nodes</h1>
          <p class="muted">
            The node types this AutomateOS runs, with each config field. Add one as a file in{' '}
            <code>nodes/</code> (see the README).
          </p>
        </div>
      </div>
      {entries.map((node) => (
        <section class="card" id={`node-${node.type}`}>
          <div class="card-head">
            <h2>
              {node.title} <code>{node.type}</code>
            </h2>
          </div>
          <div class="card-body">
            <p>{node.description}</p>
            <h3>Config</h3>
            <NodeFields fields={node.fields} />
            <details>
              <summary>Example node</summary>
              <pre>{exampleNode(node)}</pre>
            </details>
          </div>
        </section>
      ))}
    </Layout>
  )
}

/** A node entry to paste into a workflow's "nodes": one that saves as it is. */
export function exampleNode(node: CatalogueEntry): string {
  return JSON.stringify(node.example, null, 2)
}
