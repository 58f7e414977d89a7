import { validationError } from '../http/errors'
import { getNode, hasNode } from '../nodes/registry'
import type { WorkflowDefinition } from '../workflow/definition'
import { credentialTypes } from './store'

/**
 * Save-time check: a node naming a stored credential of a type it does not accept is refused (400
 * at `nodes.N.config.credential`). A name with no credential yet is accepted, so workflows (the
 * examples, an import) can be saved before their credentials are added; such a step fails with
 * CREDENTIAL_NOT_FOUND when it runs. A templated name never gets here: the node's schema refuses
 * it (credentialName in ./types.ts).
 */
export async function checkWorkflowCredentials(db: D1Database, definition: WorkflowDefinition) {
  const uses: { index: number; name: string; accepted: readonly string[] }[] = []
  definition.nodes.forEach((node, index) => {
    if (!hasNode(node.type)) return
    const accepted = getNode(node.type).credentialTypes
    const name = node.config.credential
    if (!accepted?.length || typeof name !== 'string') return
    uses.push({ index, name, accepted })
  })
  if (uses.length === 0) return
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
}
