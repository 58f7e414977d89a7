import { z } from 'zod'
import { CREDENTIAL_DATA, type CredentialType, notSecretFields } from '../../../credentials/types'

type Schema = {
  properties?: Record<
    string,
    { type?: string; description?: string; default?: unknown; format?: string }
  >
  required?: string[]
  additionalProperties?: unknown
  description?: string
}

export type FormField = {
  name: string
  label: string
  widget: 'password' | 'textarea' | 'url' | 'email' | 'text'
  required: boolean
  description?: string
  placeholder?: string
}

export type CredentialForm = {
  type: CredentialType
  description?: string
  fields: FormField[]
  /** The type takes a whole JSON document as well (a Google key file): offer a paste box. */
  acceptsJson: boolean
}

const MULTILINE = new Set(['private_key'])

/** The form for one credential type, read from the same zod schema the API checks `data` with. */
export function credentialForm(type: CredentialType): CredentialForm {
  const schema = z.toJSONSchema(CREDENTIAL_DATA[type], {
    io: 'input',
    unrepresentable: 'any',
  }) as Schema
  const required = new Set(schema.required ?? [])
  // Every field is a secret unless its declaration says it is not (src/clients/): an unknown new
  // field is then masked, never shown as typed. A webhook URL is a secret too (its path is the key).
  const notSecret = notSecretFields(type)
  const fields = Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'type' && name !== 'private_key_id')
    .map(([name, field]): FormField => {
      const widget = MULTILINE.has(name)
        ? 'textarea'
        : name === 'client_email'
          ? 'email'
          : notSecret.includes(name)
            ? field.format === 'uri' || name.endsWith('uri')
              ? 'url'
              : 'text'
            : 'password'
      return {
        name,
        label: name,
        widget,
        required: required.has(name),
        description: field.description,
        placeholder: field.default === undefined ? undefined : String(field.default),
      }
    })
  return {
    type,
    description: schema.description,
    fields,
    acceptsJson: schema.additionalProperties !== false && schema.additionalProperties !== undefined,
  }
}

/** The `data` object from a posted form: `data.<field>` entries, or the pasted JSON document. */
export function dataFromForm(
  form: CredentialForm,
  body: Record<string, unknown>,
): { data: unknown } | { error: string } {
  const pasted = typeof body.dataJson === 'string' ? body.dataJson.trim() : ''
  if (form.acceptsJson && pasted) {
    try {
      return { data: JSON.parse(pasted) }
    } catch (error) {
      return { error: `The pasted JSON is not valid: ${(error as Error).message}` }
    }
  }
  const data: Record<string, string> = {}
  for (const field of form.fields) {
    const value = body[`data.${field.name}`]
    // Left empty: not sent, so the schema's default applies or its "required" says so.
    if (typeof value === 'string' && value !== '') data[field.name] = value
  }
  return { data }
}
