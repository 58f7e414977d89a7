// What `npm start` does with examples/: which to create, which of them start disabled, and which
// one its "Try it" curl posts to. Pure (no files, no HTTP): start.mjs is the shell around it.

/** The credential names an example's nodes use (`config.credential`), each once, in node order. */
export function credentialsUsed(definition) {
  const names = (definition.nodes ?? [])
    .map((node) => node.config?.credential)
    .filter((name) => typeof name === 'string')
  return [...new Set(names)]
}

/**
 * The examples to create, given the stored workflows and when this start began (ms). Only into a
 * database that had no workflow before: one created since (by a script that waited for /healthz,
 * say) does not count, so it cannot stop the examples; an example whose name a workflow already
 * has is left out, so none is made twice.
 */
export function examplesToCreate(examples, workflows, startedAt) {
  const before = workflows.filter((w) => Date.parse(w.createdAt) < startedAt)
  if (before.length > 0) return []
  const taken = new Set(workflows.map((w) => w.name))
  return examples.filter((example) => !taken.has(example.definition.name))
}

/**
 * The definition to create for an example, and the credentials it lacks. One that names a
 * credential not stored yet is created disabled: enabled, its first webhook would fail for want of
 * it (and leave an item in the inbox). Enable it once the credential exists.
 */
export function exampleToLoad(example, storedCredentials) {
  const stored = new Set(storedCredentials)
  const missing = credentialsUsed(example.definition).filter((name) => !stored.has(name))
  const definition = missing.length ? { ...example.definition, enabled: false } : example.definition
  return { definition, missing }
}

/**
 * The example the printed curl posts to: the first that names no credential (so it runs on this
 * machine, offline too) and has a sample payload, with that payload; undefined when none does.
 */
export function tryItExample(examples) {
  return examples.find(
    (example) => credentialsUsed(example.definition).length === 0 && example.payload !== undefined,
  )
}
