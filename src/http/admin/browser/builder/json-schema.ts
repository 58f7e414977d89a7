/** The part of JSON Schema (as zod's toJSONSchema writes it) that the forms read. */
export type Schema = {
  type?: string | string[]
  description?: string
  title?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  items?: Schema
  properties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  required?: string[]
  maxLength?: number
  $ref?: string
  $defs?: Record<string, Schema>
}

export type Kind =
  | 'const'
  | 'enum'
  | 'string'
  | 'number'
  | 'boolean'
  | 'multi'
  | 'array'
  | 'object'
  | 'record'
  | 'union'
  | 'json'

/** The schema with `$ref`s into the root's `$defs` followed, and `X | null` read as X. */
export function resolve(schema: Schema, root: Schema): Schema {
  let at = schema
  for (let i = 0; i < 10 && at.$ref; i++) {
    const name = at.$ref.replace('#/$defs/', '')
    at = { ...root.$defs?.[name], ...withoutRef(at) }
  }
  const union = at.anyOf ?? at.oneOf
  if (union) {
    const notNull = union.filter((s) => s.type !== 'null')
    if (notNull.length === 1 && notNull.length < union.length) {
      const { anyOf, oneOf, ...rest } = at
      return resolve({ ...notNull[0], ...rest }, root)
    }
  }
  return at
}

function withoutRef(schema: Schema): Schema {
  const { $ref, ...rest } = schema
  return rest
}

export function kindOf(schema: Schema): Kind {
  if (schema.const !== undefined) return 'const'
  if (schema.enum) return 'enum'
  const union = schema.anyOf ?? schema.oneOf
  if (union) return union.every((s) => s.type === 'object' || s.$ref) ? 'union' : 'json'
  switch (schema.type) {
    case 'string':
      return 'string'
    case 'integer':
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'array':
      if (schema.items?.enum) return 'multi'
      return schema.items ? 'array' : 'json'
    case 'object':
      if (schema.properties && Object.keys(schema.properties).length) return 'object'
      return 'record'
  }
  return 'json'
}

/** What a new element of an array of this schema starts as. */
export function emptyValue(schema: Schema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default)
  switch (kindOf(schema)) {
    case 'object':
    case 'record':
      return {}
    case 'array':
    case 'multi':
      return []
    case 'number':
      return 0
    case 'boolean':
      return false
    case 'const':
      return schema.const
    case 'enum':
      return schema.enum![0]
    default:
      return ''
  }
}

/** A variant of a union, for its select: its title, its fixed values, or its required fields. */
export function variantLabel(schema: Schema): string {
  if (schema.title) return schema.title
  const fixed = Object.values(schema.properties ?? {}).filter((p) => p.const !== undefined)
  if (fixed.length) return fixed.map((p) => String(p.const)).join(' ')
  return (schema.required ?? Object.keys(schema.properties ?? {})).join(' + ') || 'object'
}

/** Which variant a value is: the one whose fixed values it has, or whose required keys it has. */
export function variantOf(variants: Schema[], value: unknown): number {
  if (value === null || typeof value !== 'object') return -1
  const record = value as Record<string, unknown>
  const scores = variants.map((variant) => {
    const properties = variant.properties ?? {}
    for (const [key, p] of Object.entries(properties))
      if (p.const !== undefined && record[key] !== p.const) return -1
    const required = variant.required ?? []
    if (!required.every((key) => key in record)) return 0
    return 1 + Object.keys(record).filter((key) => key in properties).length
  })
  const best = Math.max(...scores)
  return best <= 0 && scores.every((s) => s < 0) ? -1 : scores.indexOf(best)
}
