// The pure part of `npm run rotate-key`: the encryption key slots (ENCRYPTION_KEY, then
// ENCRYPTION_KEY_2, _3…; the Worker's src/credentials/keyring.ts reads the same names), what a
// rotation does next given the slots set, and the .dev.vars edits. Nothing here sees a key's value
// except `withVar`, which writes one into the file text it is given.

export const KEY_SLOT = /^ENCRYPTION_KEY(?:_([2-9]|[1-9][0-9]+))?$/

const generationOf = (slot) => {
  const match = KEY_SLOT.exec(slot)
  return match ? (match[1] ? Number(match[1]) : 1) : undefined
}

export const slotName = (generation) =>
  generation === 1 ? 'ENCRYPTION_KEY' : `ENCRYPTION_KEY_${generation}`

/** The key slots among `names`, newest generation first. */
export function keySlots(names) {
  return [...new Set(names)]
    .filter((name) => generationOf(name) !== undefined)
    .sort((a, b) => generationOf(b) - generationOf(a))
}

/**
 * What `npm run rotate-key` does given the slots set: `start` a rotation into the next slot when
 * one key is set; `continue` one when several are (an earlier run was interrupted, or its old
 * keys are not removed yet: re-encrypting again is harmless); `refuse` when there is no key.
 */
export function planRotation(slots) {
  const sorted = keySlots(slots)
  if (sorted.length === 0) return { action: 'refuse' }
  if (sorted.length === 1)
    return { action: 'start', newSlot: slotName(generationOf(sorted[0]) + 1), old: sorted }
  return { action: 'continue', newSlot: sorted[0], old: sorted.slice(1) }
}

/**
 * Whether the old slots may be deleted: the Worker encrypts with the newest slot set, and every
 * credential is on its key. `status` is GET /api/encryption-key's answer. Returns the reason not
 * to, or undefined.
 */
export function removalBlocker(slots, status) {
  const [newest, ...old] = keySlots(slots)
  if (!newest) return 'no ENCRYPTION_KEY is set'
  if (old.length === 0) return `only ${newest} is set: there is no old key to remove`
  if (status.current.slot !== newest)
    return `the Worker still encrypts with ${status.current.slot}, not ${newest}; it has not picked up the new key yet`
  const left = status.credentials.filter((c) => c.keyId !== status.current.keyId)
  if (left.length) {
    const count = left.reduce((sum, c) => sum + c.count, 0)
    const where = left.map((c) => `key ${c.keyId}${c.slot ? ` (${c.slot})` : ''}`).join(', ')
    return `${count} credential(s) are still on ${where}: run npm run rotate-key again first`
  }
  // Resume URLs handed out are HMACs under the key they were made with: it stays until they end.
  const resuming = (status.resumingRuns ?? []).filter((r) => r.keyId !== status.current.keyId)
  if (resuming.length) {
    const count = resuming.reduce((sum, r) => sum + r.count, 0)
    const where = resuming.map((r) => `key ${r.keyId}${r.slot ? ` (${r.slot})` : ''}`).join(', ')
    return (
      `${count} unfinished run(s) have resume URLs made with ${where}: remove it once they ` +
      'have ended (a wait lasts at most 30 days), or cancel them'
    )
  }
  return undefined
}

/** The names set (to a non-empty value) in a dotenv text; values are not returned. */
export function varNames(text) {
  const names = []
  for (const line of text.split('\n')) {
    const match = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/.exec(line)
    if (match && match[2].trim().replace(/^(['"])\1$/, '') !== '') names.push(match[1])
  }
  return names
}

/** `text` with `name=value` appended (any empty `name=` line dropped first). */
export function withVar(text, name, value) {
  let next = withoutVars(text, [name])
  if (next && !next.endsWith('\n')) next += '\n'
  return `${next}${name}=${value}\n`
}

/** `text` without the lines that set any of `names`. */
export function withoutVars(text, names) {
  return text
    .split(/(?<=\n)/)
    .filter((line) => {
      const match = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/.exec(line)
      return !match || !names.includes(match[1])
    })
    .join('')
}
