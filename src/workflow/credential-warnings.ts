import type { MissingCredential } from '../credentials/check-workflow'
import type { SaveWarning } from './secret-warnings'

/** What a save answers about each missing credential, beside the stored workflow. */
export function missingCredentialWarnings(found: MissingCredential[]): SaveWarning[] {
  return found.map(({ path, name, suggestion }) => ({
    path,
    code: 'CREDENTIAL_MISSING',
    message:
      `${path}: no credential is named '${name}'` +
      (suggestion ? ` (did you mean '${suggestion}'?)` : '') +
      '. The workflow is saved; its step fails with CREDENTIAL_NOT_FOUND until a credential ' +
      'of that name is added (POST /api/credentials).',
  }))
}
