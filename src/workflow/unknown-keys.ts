import type { z } from 'zod'
import { nearest } from '../lib/nearest-name'
import type { FieldPath } from '../templates/walk'

/** An unknown key at `path` (from the config), the keys known beside it, the likeliest meant. */
export type UnknownKey = { path: FieldPath; key: string; known: string[]; suggestion?: string }

type Def = { type: string; [part: string]: unknown }
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def

/**
 * Keys of `value` that `schema` does not know. A zod object drops unknown keys silently, so a
 * typo (`usename` for `username`) saved, showed on the workflow page as if it were a field, and
 * did nothing when the node ran. Walks objects at any depth, through optional, default, arrays,
 * records and unions; an object that allows extra keys on purpose (`z.looseObject`, a record)
 * is left alone, and a strict one is refused by zod itself. A templated value is not an object
 * yet: its keys are checked when the node runs, by the node's schema.
 */
export function unknownKeys(schema: z.ZodType, value: unknown, path: FieldPath = []): UnknownKey[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return unknownKeys(def.innerType as z.ZodType, value, path)
    case 'pipe':
      return unknownKeys(def.in as z.ZodType, value, path)
    case 'lazy':
      return unknownKeys((def.getter as () => z.ZodType)(), value, path)
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => unknownKeys(def.element as z.ZodType, item, [...path, i]))
        : []
    case 'record':
      return isObject(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            unknownKeys(def.valueType as z.ZodType, item, [...path, key]),
          )
        : []
    case 'union': {
      // Among the options the value passes (else those that take objects or arrays at all), the
      // one that fits best speaks: nothing when one knows every key.
      const options = def.options as z.ZodType[]
      const passing = options.filter((option) => option.safeParse(value).success)
      const candidates = passing.length ? passing : options.filter(takesStructures)
      const tries = candidates.map((option) => unknownKeys(option, value, path))
      if (tries.length === 0) return []
      return tries.reduce((best, found) => (found.length < best.length ? found : best))
    }
    case 'object':
      return isObject(value) ? objectKeys(def, value, path) : []
    default:
      return []
  }
}

const WRAPPERS = ['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']

/** Whether a schema, under its wrappers, is one whose keys this walk checks. */
function takesStructures(schema: z.ZodType): boolean {
  let def = defOf(schema)
  while (WRAPPERS.includes(def.type)) def = defOf(def.innerType)
  if (def.type === 'pipe') return takesStructures(def.in as z.ZodType)
  return ['object', 'array', 'record', 'union', 'lazy'].includes(def.type)
}

function objectKeys(def: Def, value: Record<string, unknown>, path: FieldPath): UnknownKey[] {
  const shape = def.shape as Record<string, z.ZodType>
  const found: UnknownKey[] = []
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(shape, key)) found.push(...unknownKeys(shape[key]!, item, [...path, key]))
    // A catchall (loose: anything; strict: never, which zod reports itself) is the schema's word.
    else if (def.catchall === undefined) {
      const known = Object.keys(shape)
      found.push({ path: [...path, key], key, known, suggestion: nearest(key, known) })
    }
  }
  return found
}

/** What to say about an unknown key: `unknown key 'usename' (did you mean 'username'?)`. */
export function unknownKeyMessage({ key, known, suggestion }: UnknownKey): string {
  if (suggestion) return `unknown key '${key}' (did you mean '${suggestion}'?)`
  return known.length
    ? `unknown key '${key}' (known keys: ${known.join(', ')})`
    : `unknown key '${key}' (this object takes no keys)`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
