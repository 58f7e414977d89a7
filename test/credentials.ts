import { admin } from './helpers'

/** Stores a credential through the admin API under a name unique to the test; returns the name. */
export async function createCredential(
  type: string,
  data: Record<string, unknown>,
  options: { name?: string; baseUrl?: string } = {},
): Promise<string> {
  const name = options.name ?? `${type}-${crypto.randomUUID().slice(0, 8)}`
  const response = await admin('/api/credentials', {
    method: 'POST',
    json: { name, type, data, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  })
  if (response.status !== 201)
    throw new Error(`credential ${name}: ${response.status} ${await response.text()}`)
  return name
}
