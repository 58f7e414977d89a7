import type { Context } from 'hono'
import { AutomateError } from '../../errors'
import { parseRequestJson } from '../json-depth'
import { readLimited } from '../read-limited'

/** Admin API bodies: a workflow of 500 nodes fits with room to spare. */
const MAX_JSON_BYTES = 1024 * 1024

/** The body parsed as JSON, or a 400 that says what is wrong with it. */
export async function readJson(c: Context, optional = false): Promise<unknown> {
  const text = new TextDecoder().decode(await readLimited(c.req.raw, MAX_JSON_BYTES))
  if (text.trim() === '') {
    if (optional) return {}
    throw new AutomateError('INVALID_JSON', 'Request body is empty; send a JSON object', {
      status: 400,
    })
  }
  return parseRequestJson(text)
}
