import { validationError } from '../http/errors'
import { nearest } from '../lib/nearest-name'
import { getNode, hasNode } from '../nodes/registry'
import type { WorkflowDefinition } from '../workflow/definition'
import { credentialTypes, listCredentials } from './store'

/** A node naming a credential that does not exist (yet), and the stored name it may mean. */
export type MissingCredential = { path: string; name: string; suggestion?: string }

type Use = { index: number; name: string; accepted: readonly string[] }

/**
 * Save-time check: a node naming a stored credential of a type it does not accept is refused (400
 * at `nodes.N.config.credential`). A name with no credential yet is accepted, so workflows (the
 * examples, an import) can be saved before their credentials are added, and returned, for a
 * warning: such a step fails with CREDENTIAL_NOT_FOUND when it runs, and a typo
 * (`team-discrod`) is best caught now. A templated name never gets here: the node's schema
 * refuses it (credentialName in ./types.ts).
 */
export async function checkWorkflowCredentials(
  db: D1Database,
  definition: WorkflowDefinition,
): Promise<MissingCredential[]> {
  const uses = credentialUses(definition)
  if (uses.length === 0) return []
  const stored = await credentialTypes(db, [...new Set(uses.map((u) => u.name))])
  const issues = uses.flatMap(({ index, name, accepted }) => {
    const type = stored.get(name)
    if (type === undefined || accepted.includes(type)) return []
    return [
      {
        code: 'custom' as const,
        path: ['nodes', index, 'config', 'credential'],
        message: `credential ${name} is a ${type} credential; this node accepts ${accepted.join(' or ')}`,
        input: name,
      },
    ]
  })
  if (issues.length) throw validationError(issues)
  return missing(db, uses, stored)
}

/** The credentials a workflow names that do not exist: for its page, on every visit. */
export async function missingCredentials(
  db: D1Database,
  definition: Pick<WorkflowDefinition, 'nodes'>,
): Promise<MissingCredential[]> {
  const uses = credentialUses(definition)
  if (uses.length === 0) return []
  return missing(db, uses, await credentialTypes(db, [...new Set(uses.map((u) => u.name))]))
}

function credentialUses(definition: Pick<WorkflowDefinition, 'nodes'>): Use[] {
  const uses: Use[] = []
  definition.nodes.forEach((node, index) => {
    if (!hasNode(node.type)) return
    const accepted = getNode(node.type).credentialTypes
    const name = (node.config as Record<string, unknown> | undefined)?.credential
    if (!accepted?.length || typeof name !== 'string') return
    uses.push({ index, name, accepted })
  })
  return uses
}

async function missing(
  db: D1Database,
  uses: Use[],
  stored: Map<string, string>,
): Promise<MissingCredential[]> {
  const absent = uses.filter((use) => !stored.has(use.name))
  if (absent.length === 0) return []
  // Only when a name is missing: the list is what a typo is measured against.
  const names = (await listCredentials(db)).map((credential) => credential.name)
  return absent.map(({ index, name }) => {
    const suggestion = nearest(name, names)
    return {
      path: `nodes.${index}.config.credential`,
      name,
      ...(suggestion ? { suggestion } : {}),
    }
  })
}
