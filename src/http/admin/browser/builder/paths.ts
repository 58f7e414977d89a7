export type Path = (string | number)[]

export const dotted = (path: Path) => path.map(String).join('.')

export function getAt(value: unknown, path: Path): unknown {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key as string]
  }
  return at
}

/**
 * Sets the value at `path`, making the objects on the way. Undefined removes the key, and a parent
 * left empty by that goes too (an empty `dedupe: {}` would be refused where leaving it out is not).
 */
export function setAt(root: Record<string, unknown>, path: Path, value: unknown) {
  let at: any = root
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!
    if (at[key] === null || typeof at[key] !== 'object') {
      if (value === undefined) return
      at[key] = typeof path[i + 1] === 'number' ? [] : {}
    }
    at = at[key]
  }
  const last = path[path.length - 1]!
  if (value !== undefined) {
    at[last] = value
    return
  }
  if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1)
  else delete at[last]
  // Prune emptied objects up to (not including) a node's config or the root.
  if (path.length > 1 && isEmptyObject(at) && path[path.length - 2] !== 'config')
    setAt(root, path.slice(0, -1), undefined)
}

function isEmptyObject(value: unknown) {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  )
}

/** How JSONata reads a path: `input.customer.email`, ``steps.`send-mail`.output``, `items[0]`. */
export function jsonataPath(head: string, keys: (string | number)[]): string {
  let out = head
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`
    else out += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `.\`${key}\``
  }
  return out
}
