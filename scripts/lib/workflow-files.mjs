// Workflows as files: the pure logic of `npm run workflows` (scripts/workflows.mjs does the I/O).
// The server's own OpenAPI document supplies the workflow schema, so the definition's keys, their
// order in a file and their defaults follow the server, not a copy kept here.

/** A JSON Schema with `$ref`s into `components.schemas` resolved. */
export function schemaResolver(document) {
  const schemas = document?.components?.schemas ?? {}
  const resolve = (schema) => {
    let current = schema
    for (let i = 0; current?.$ref && i < 20; i++)
      current = schemas[current.$ref.replace('#/components/schemas/', '')]
    return current ?? {}
  }
  const workflow = schemas.Workflow
  if (!workflow) throw new Error('the server has no Workflow schema in GET /api/openapi.json')
  return { workflow, resolve }
}

/** The branch of an anyOf/oneOf whose const or enum properties all match `value`. */
function branchFor(schema, value, resolve) {
  const branches = (schema.anyOf ?? schema.oneOf ?? []).map(resolve)
  if (!branches.length) return schema
  const matches = (branch) =>
    Object.entries(branch.properties ?? {}).every(([key, raw]) => {
      const property = resolve(raw)
      if (!(key in (value ?? {}))) return !(branch.required ?? []).includes(key)
      if ('const' in property) return property.const === value[key]
      if (property.enum) return property.enum.includes(value[key])
      return true
    })
  return (typeof value === 'object' && value !== null && branches.find(matches)) || {}
}

/** `value` with the schema's defaults filled in where a key is missing, as the server stores it. */
export function withDefaults(value, rawSchema, resolve) {
  let schema = resolve(rawSchema)
  if (schema.anyOf || schema.oneOf) schema = branchFor(schema, value, resolve)
  if (Array.isArray(value))
    return value.map((item) => withDefaults(item, schema.items ?? {}, resolve))
  if (typeof value !== 'object' || value === null || !schema.properties) return value
  const filled = { ...value }
  for (const [key, raw] of Object.entries(schema.properties)) {
    const property = resolve(raw)
    // A default is stored as it is, not filled in further (zod's .default() does the same).
    if (!(key in filled)) {
      if ('default' in property) filled[key] = structuredClone(property.default)
    } else filled[key] = withDefaults(filled[key], raw, resolve)
  }
  return filled
}

/**
 * Keys in the schema's order, then any others alphabetically, at every depth (a node's config too),
 * so the same definition is always the same text and a diff shows only what changed.
 */
export function canonical(value, rawSchema, resolve) {
  let schema = resolve(rawSchema ?? {})
  if (schema.anyOf || schema.oneOf) schema = branchFor(schema, value, resolve)
  if (Array.isArray(value)) return value.map((item) => canonical(item, schema.items, resolve))
  if (typeof value !== 'object' || value === null) return value
  const known = Object.keys(schema.properties ?? {})
  const keys = [
    ...known.filter((key) => key in value),
    ...Object.keys(value)
      .filter((key) => !known.includes(key))
      .sort(),
  ]
  return Object.fromEntries(
    keys.map((key) => [key, canonical(value[key], schema.properties?.[key], resolve)]),
  )
}

/** A stored workflow from the API, without what the server adds (id, version, webhookUrl, ...). */
export function definitionOf(stored, { workflow }) {
  const keys = Object.keys(workflow.properties ?? {})
  return Object.fromEntries(Object.entries(stored).filter(([key]) => keys.includes(key)))
}

export function fileText(definition, { workflow, resolve }) {
  return `${JSON.stringify(canonical(definition, workflow, resolve), null, 2)}\n`
}

/** 'New signup → Discord!' -> 'new-signup-discord.json', never one of `taken`. */
export function fileNameFor(name, taken = []) {
  const slug =
    String(name)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'workflow'
  let file = `${slug}.json`
  for (let n = 2; taken.includes(file); n++) file = `${slug}-${n}.json`
  return file
}

/**
 * What `push` (and `diff`) would do: local files matched to server workflows by name.
 * `local`: [{ file, definition }] (definition undefined when the file did not parse, with `error`);
 * `remote`: the API's stored workflows.
 */
export function planPush({ local, remote, schema, prune = false }) {
  const problems = []
  const actions = []
  const remoteByName = groupByName(remote, (w) => w.name)
  const localByName = groupByName(
    local.filter((l) => l.definition),
    (l) => l.definition.name,
  )
  for (const entry of local) {
    if (entry.error) problems.push(`${entry.file}: ${entry.error}`)
    else if (typeof entry.definition?.name !== 'string' || !entry.definition.name.trim())
      problems.push(`${entry.file}: name: a workflow file needs a "name" (workflows match by name)`)
  }
  for (const [name, entries] of localByName) {
    if (typeof name !== 'string' || !name.trim()) continue
    if (entries.length > 1) {
      problems.push(
        `${entries.map((e) => e.file).join(', ')}: the same name '${name}' in ${entries.length} files`,
      )
      continue
    }
    const [{ file, definition }] = entries
    const matches = remoteByName.get(name) ?? []
    if (matches.length > 1) {
      problems.push(
        `${file}: ${matches.length} workflows on the server are named '${name}' (${matches.map((w) => w.id).join(', ')}): rename one`,
      )
      continue
    }
    const localText = fileText(withDefaults(definition, schema.workflow, schema.resolve), schema)
    if (!matches.length) {
      actions.push({ kind: 'create', name, file, definition, diff: lineDiff('', localText) })
      continue
    }
    const [stored] = matches
    const remoteText = fileText(definitionOf(stored, schema), schema)
    actions.push(
      remoteText === localText
        ? { kind: 'unchanged', name, file, id: stored.id }
        : {
            kind: 'update',
            name,
            file,
            id: stored.id,
            definition,
            diff: lineDiff(remoteText, localText),
          },
    )
  }
  for (const [name, workflows] of remoteByName) {
    if (localByName.has(name)) continue
    for (const w of workflows)
      actions.push({ kind: prune ? 'delete' : 'remote-only', name, id: w.id })
  }
  return { actions, problems }
}

function groupByName(items, nameOf) {
  const groups = new Map()
  for (const item of items) groups.set(nameOf(item), [...(groups.get(nameOf(item)) ?? []), item])
  return groups
}

/**
 * What `pull` writes: each server workflow into the local file already holding its name, or a new
 * file named after it; with `prune`, local files whose workflow is not on the server are deleted.
 * Files are base names (`base` of each local entry).
 */
export function planPull({ local, remote, schema, prune = false }) {
  const writes = []
  const taken = local.map((l) => l.base)
  const baseByName = new Map(
    local.filter((l) => l.definition?.name).map((l) => [l.definition.name, l.base]),
  )
  for (const stored of remote) {
    let base = baseByName.get(stored.name)
    if (!base) {
      base = fileNameFor(stored.name, taken)
      taken.push(base)
      baseByName.set(stored.name, base)
    }
    writes.push({ base, name: stored.name, text: fileText(definitionOf(stored, schema), schema) })
  }
  const remoteNames = new Set(remote.map((w) => w.name))
  // A file that does not parse is never deleted: it may be work in progress.
  const stale = local
    .filter((l) => l.definition && !remoteNames.has(l.definition.name))
    .map((l) => l.base)
  return { writes, deletes: prune ? stale : [], kept: prune ? [] : stale }
}

/** A refused definition, as the user needs it: the file, then each field path and why. */
export function describeRefusal(file, status, body) {
  const error = body?.error
  if (!error) return [`${file}: refused with HTTP ${status}`]
  const details = Array.isArray(error.details) ? error.details : []
  if (!details.length) return [`${file}: ${error.message ?? error.code}`]
  return details.map((d) => `${file}: ${d.path}: ${d.message}`)
}

/** Lines of `before` and `after` as a unified diff body (' ', '-', '+'), with 2 lines of context. */
export function lineDiff(before, after, context = 2) {
  const a = before ? before.replace(/\n$/, '').split('\n') : []
  const b = after ? after.replace(/\n$/, '').split('\n') : []
  // Longest common subsequence, from the end, so the walk below runs forwards.
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1))
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const ops = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push([' ', a[i++], j++])
    // Removals before additions, as diff prints them.
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push(['-', a[i++]])
    else ops.push(['+', b[j++]])
  }
  const near = ops.map((_, k) =>
    ops.slice(Math.max(0, k - context), k + context + 1).some(([op]) => op !== ' '),
  )
  const lines = []
  ops.forEach(([op, line], k) => {
    if (near[k]) lines.push(`${op} ${line}`)
    else if (lines.at(-1) !== '  ...') lines.push('  ...')
  })
  return lines
}
