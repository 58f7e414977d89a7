import { admin } from './helpers'

export type CreatedToken = { id: string; token: string; scopes: string[]; [key: string]: unknown }

/** A new API token made through the API, as a user would. */
export async function createToken(body: {
  name?: string
  scopes: string[]
  expiresAt?: string
  workflows?: string[]
}): Promise<CreatedToken> {
  const response = await admin('/api/tokens', {
    method: 'POST',
    json: { name: body.name ?? `test-${body.scopes.join('-')}`, ...body },
  })
  if (response.status !== 201)
    throw new Error(`token create failed: ${response.status} ${await response.text()}`)
  return response.json()
}
