import { prettyJson } from '../lib/format'

/**
 * A node's config as its fields: a string (a JSONata expression, a URL, a template) is shown as
 * written, wrapped, not as an escaped JSON string; anything else as pretty JSON.
 */
export function NodeConfig({ config }: { config: Record<string, unknown> }) {
  const entries = Object.entries(config)
  if (entries.length === 0) return <p class="muted small">No configuration.</p>
  return (
    <dl class="config">
      {entries.map(([key, value]) => (
        <>
          <dt>{key}</dt>
          <dd>
            <pre>{typeof value === 'string' ? value : prettyJson(value)}</pre>
          </dd>
        </>
      ))}
    </dl>
  )
}
