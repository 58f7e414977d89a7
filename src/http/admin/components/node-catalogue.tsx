import { describeNode, listNodes } from '../../../nodes/registry'

type JsonSchema = {
  type?: string | string[]
  description?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
}

export type CatalogueField = {
  name: string
  type: string
  required: boolean
  description?: string
  defaultValue?: string
}

export type CatalogueEntry = {
  type: string
  title: string
  description: string
  fields: CatalogueField[]
  /** A node entry that saves as it is (registry.ts exampleNode). */
  example: { id: string; type: string; config: Record<string, unknown> }
}

/** A schema's type as a person reads it: `string`, `"GET" | "POST"`, `array of string`. */
export function typeLabel(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  const union = schema.anyOf ?? schema.oneOf
  if (union) return [...new Set(union.map(typeLabel))].join(' | ')
  if (schema.type === 'array') return schema.items ? `array of ${typeLabel(schema.items)}` : 'array'
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  return schema.type ?? 'any JSON'
}

/** Each node's config fields, read from the same JSON Schema GET /api/nodes serves. */
export function nodeCatalogue(): CatalogueEntry[] {
  return listNodes()
    .map(describeNode)
    .map((node) => {
      const schema = node.configSchema as JsonSchema
      const required = new Set(schema.required ?? [])
      return {
        type: node.type,
        title: node.title,
        description: node.description,
        example: node.example,
        fields: Object.entries(schema.properties ?? {}).map(([name, field]) => ({
          name,
          type: typeLabel(field),
          required: required.has(name),
          description: field.description,
          defaultValue: field.default === undefined ? undefined : JSON.stringify(field.default),
        })),
      }
    })
    .sort((a, b) => a.type.localeCompare(b.type))
}

export function NodeFields({ fields }: { fields: CatalogueField[] }) {
  if (fields.length === 0) return <p class="muted small">No configuration.</p>
  return (
    <ul class="fields">
      {fields.map((f) => (
        <li>
          <code>{f.name}</code> <span class="type">{f.type}</span>{' '}
          {f.required ? <span class="req">required</span> : null}
          {f.defaultValue !== undefined ? (
            <span class="muted"> · default {f.defaultValue}</span>
          ) : null}
          {f.description ? <div class="muted">{f.description}</div> : null}
        </li>
      ))}
    </ul>
  )
}

/** The compact catalogue beside the editor: one collapsible entry per node type. */
export function NodeCatalogue({ entries }: { entries: CatalogueEntry[] }) {
  return (
    <aside class="card" aria-labelledby="catalogue-title">
      <div class="card-head">
        <h2 id="catalogue-title">Node types</h2>
        <a class="small" href="/admin/nodes">
          Full catalogue
        </a>
      </div>
      <div class="card-body catalogue">
        {entries.map((node) => (
          <details id={`node-${node.type}`}>
            <summary>
              {node.title} <code>{node.type}</code>
            </summary>
            <p class="small">{node.description}</p>
            <NodeFields fields={node.fields} />
          </details>
        ))}
      </div>
    </aside>
  )
}
