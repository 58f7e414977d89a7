import { isSecretName } from '../redact/redact'
import { SECRET_PATTERNS } from '../redact/secret-patterns'
import type { WorkflowDefinition } from './definition'

/**
 * What a save says without refusing it: a secret written into the config, or a credential name
 * with no credential behind it (src/credentials/check-workflow.ts).
 */
export type SaveWarning = {
  path: string
  code: 'SECRET_IN_CONFIG' | 'CREDENTIAL_MISSING'
  message: string
}

/** Where each kind of secret belongs instead. */
const CREDENTIAL_FOR: Record<string, string> = {
  'slack-webhook': 'a slack-webhook credential',
  'discord-webhook': 'a discord-webhook credential',
  'telegram-bot': 'a telegram-bot credential',
  'slack-token': 'a slack-bot credential',
  'api-key': 'an openai-compatible or http-bearer credential',
  bearer: 'an http-bearer credential',
  header: 'an http-bearer or http-header credential',
}

/** Header and query names that look secret but are not. */
const NOT_SECRET = new Set(['idempotency-key'])

/** A template is filled in at run time from data, so it is never itself a secret. */
const TEMPLATE = /\{\{[\s\S]*?\}\}/g

/**
 * Strings in a definition (node configs, a schedule's input) that look like secrets: a literal `Bearer …`, a Slack, Discord or
 * Telegram webhook URL, an `sk-…`/`xoxb-…`/`ghp_…` key, a literal value for a header or query
 * parameter named like a credential. The save still succeeds: a warning, not a refusal, since a
 * look-alike may be harmless; but such a string stays in every version for ever, readable by the
 * API and the admin page, while a credential is encrypted and never shown.
 */
export function secretWarnings(definition: Scanned): SaveWarning[] {
  return findSecrets(definition).map(({ path, label, credential }) => ({
    path,
    code: 'SECRET_IN_CONFIG',
    message:
      `${path} holds what looks like ${label}. It is saved in every version of this workflow ` +
      `and shown by the API and the admin page: store it as a credential (${credential}, ` +
      'POST /api/credentials) and name it in config.credential.',
  }))
}

/** Each secret-looking string: where, what it looks like, and the credential it belongs in. */
export type FoundSecret = { path: string; label: string; credential: string }

/** What is scanned: every node's config, and a schedule's fixed input. */
type Scanned = Pick<WorkflowDefinition, 'nodes'> & { trigger?: object }

export function findSecrets(definition: Scanned): FoundSecret[] {
  const found: FoundSecret[] = []
  const visit = (path: string[], value: string) => {
    const kind = secretKind(path, value)
    if (!kind) return
    const credential = CREDENTIAL_FOR[kind.kind] ?? 'a credential'
    found.push({ path: path.join('.'), label: kind.label, credential })
  }
  definition.nodes.forEach((node, index) =>
    walk(node.config, ['nodes', String(index), 'config'], visit),
  )
  const trigger = definition.trigger
  if (trigger && 'input' in trigger) walk(trigger.input, ['trigger', 'input'], visit)
  return found
}

function walk(value: unknown, path: string[], visit: (path: string[], value: string) => void) {
  if (typeof value === 'string') visit(path, value)
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, String(i)], visit))
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) walk(item, [...path, key], visit)
  }
}

function secretKind(path: string[], value: string): { kind: string; label: string } | undefined {
  const literal = value.replace(TEMPLATE, ' ').trim()
  if (literal === '') return undefined
  const name = path.at(-1)!
  const parent = path.at(-2)
  if (
    (parent === 'headers' || parent === 'query') &&
    isSecretName(name) &&
    !NOT_SECRET.has(name.toLowerCase()) &&
    literal === value.trim()
  ) {
    return {
      kind: 'header',
      label: `a secret written as the ${name} ${parent === 'headers' ? 'header' : 'parameter'}`,
    }
  }
  return SECRET_PATTERNS.find((p) => p.warnOnSave && literal.search(p.pattern) >= 0)
}
