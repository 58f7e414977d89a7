// .dev.vars holds the local Worker's secrets (wrangler dev reads it; git ignores it).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

/** A fresh secret: 32 random bytes, base64url. */
export const randomSecret = () => randomBytes(32).toString('base64url')

/**
 * Makes sure each key of `wanted` has a non-empty value in the dotenv file at `path`, calling its
 * generator only for keys that are missing. Existing values are never changed.
 * Returns every wanted key's value and the names of the keys it added.
 */
export function ensureDevVars(path, wanted) {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const values = {}
  const added = []
  for (const [key, generate] of Object.entries(wanted)) {
    const current = readVar(text, key)
    if (current) {
      values[key] = current
      continue
    }
    values[key] = generate()
    // Blank out an empty `KEY=` line, then append the new value.
    text = text.replace(assignment(key, `[ \\t]*(?:""|'')?[ \\t]*`), '')
    if (text && !text.endsWith('\n')) text += '\n'
    text += `${key}=${values[key]}\n`
    added.push(key)
  }
  if (added.length) writeFileSync(path, text, { mode: 0o600 })
  return { values, added }
}

/** A `KEY=value` line (`export KEY=value` too) whose value matches `value`. */
const assignment = (key, value) =>
  new RegExp(`^[ \\t]*(?:export[ \\t]+)?${key}[ \\t]*=${value}$`, 'm')

function readVar(text, key) {
  const match = assignment(key, '(.*)').exec(text)
  if (!match) return undefined
  return match[1].trim().replace(/^(['"])(.*)\1$/, '$2')
}
