import {
  GrantError,
  authorizationUrl,
  describeGrantError,
  exchangeCode,
  newState,
  newVerifier,
  revokeToken,
} from '../../clients/oauth2-protocol'
import { AutomateError } from '../../errors'
import { open, seal } from '../crypto'
import { keyFor, keyring } from '../keyring'
import { findCredential } from '../store'
import { forgetTokens, openOAuth, saveTokens, type CredentialRow } from './connection-store'
import { needsReconnect } from './refresh'

/** A started Connect is good for this long (issue 24: at most 10 minutes). */
export const START_TTL_MS = 10 * 60_000

type Env = { DB: D1Database } & object

const encoder = new TextEncoder()

async function sha256(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const startBound = (stateHash: string, name: string) =>
  JSON.stringify(['automateos-oauth-start/v1', stateHash, name])

/** A random value for the browser cookie that binds a Connect to the browser that started it. */
export function newBrowserToken() {
  return newState()
}

async function oauthRow(db: D1Database, name: string): Promise<CredentialRow> {
  const row = await findCredential(db, name)
  if (!row) {
    throw new AutomateError('NOT_FOUND', `Credential ${name} was not found`, { status: 404 })
  }
  if (row.type !== 'oauth2') {
    throw new AutomateError(
      'CREDENTIAL_WRONG_TYPE',
      `Credential ${name} is a ${row.type} credential; only an oauth2 credential connects`,
      { status: 400, retryable: false, details: { credential: name, type: row.type } },
    )
  }
  return row
}

/**
 * Starts a Connect: a random state and PKCE verifier, kept (hashed and sealed) for 10 minutes and
 * bound to `browser` (the cookie's value). Answers the provider's authorize URL.
 */
export async function startConnect(
  env: Env,
  name: string,
  redirectUri: string,
  browser: string,
  now = Date.now(),
) {
  const row = await oauthRow(env.DB, name)
  const { data } = await openOAuth(env, row)
  const state = newState()
  const verifier = newVerifier()
  const stateHash = await sha256(state)
  const { current } = await keyring(env)
  const sealed = await seal(current, verifier, startBound(stateHash, name))
  await env.DB.batch([
    // Starts nobody finished go here, so the table never grows.
    env.DB.prepare('DELETE FROM oauth_starts WHERE expires_at <= ?').bind(now),
    env.DB.prepare(
      `INSERT INTO oauth_starts (state_hash, credential, browser_hash, redirect_uri, key_id, iv,
         ciphertext, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      stateHash,
      name,
      await sha256(browser),
      redirectUri,
      sealed.keyId,
      sealed.iv,
      sealed.ciphertext,
      now + START_TTL_MS,
    ),
  ])
  return { authorizeUrl: await authorizationUrl(data, { redirectUri, state, verifier }) }
}

type StartRow = {
  credential: string
  browser_hash: string
  redirect_uri: string
  key_id: string
  iv: string
  ciphertext: string
  expires_at: number
}

function refused(message: string, credential?: string) {
  return new AutomateError('OAUTH_STATE_INVALID', message, {
    status: 400,
    retryable: false,
    ...(credential ? { details: { credential } } : {}),
  })
}

/**
 * Finishes a Connect from the provider's callback: the state is taken (once: a second use finds
 * nothing), checked to belong to this browser and to be fresh, the code exchanged with the
 * verifier, and the tokens sealed into the credential. Answers the credential's name and
 * account; a refusal of the provider's comes back in words (OAUTH_ERROR, naming the credential).
 */
export async function finishConnect(
  env: Env,
  params: URLSearchParams,
  browser: string | undefined,
  now = Date.now(),
): Promise<{ credential: string; account?: string }> {
  const state = params.get('state')
  if (!state) throw refused('The callback carries no state: start again with Connect')
  const stateHash = await sha256(state)
  const browserHash = browser ? await sha256(browser) : ''
  // Taken only by the browser that started it: a callback from another one leaves it in place.
  const start = await env.DB.prepare(
    'DELETE FROM oauth_starts WHERE state_hash = ? AND browser_hash = ? RETURNING *',
  )
    .bind(stateHash, browserHash)
    .first<StartRow>()
  if (!start) {
    const elsewhere = await env.DB.prepare(
      'SELECT credential FROM oauth_starts WHERE state_hash = ? AND expires_at > ?',
    )
      .bind(stateHash, now)
      .first<{ credential: string }>()
    if (elsewhere) {
      throw refused(
        'This sign-in was started in another browser (or its cookie expired): press Connect ' +
          'again in the browser you finish it in',
        elsewhere.credential,
      )
    }
  }
  if (!start || start.expires_at <= now) {
    throw refused(
      'This sign-in link is unknown, used already or older than 10 minutes: press Connect again',
      start?.credential,
    )
  }
  const name = start.credential
  const ring = await keyring(env)
  const what = `The Connect of ${name}`
  const verifier = await open(
    keyFor(ring, start.key_id, what),
    {
      keyId: start.key_id,
      iv: start.iv,
      ciphertext: start.ciphertext,
    },
    startBound(stateHash, name),
    what,
  )
  const row = await oauthRow(env.DB, name)
  const { data } = await openOAuth(env, row)
  let tokens
  try {
    tokens = await exchangeCode(data, row.baseUrl ?? undefined, {
      params,
      state,
      redirectUri: start.redirect_uri,
      verifier,
    })
  } catch (error) {
    if (!(error instanceof GrantError)) throw withCredential(error, name)
    throw new AutomateError('OAUTH_ERROR', `The provider refused: ${describeGrantError(error)}`, {
      status: 400,
      retryable: false,
      details: { credential: name, error: error.code },
    })
  }
  if (!(await saveTokens(env.DB, env, row, row.version, { data, tokens }))) {
    throw new AutomateError(
      'OAUTH_ERROR',
      `Credential ${name} was changed while connecting: press Connect again`,
      { status: 409, details: { credential: name } },
    )
  }
  return { credential: name, ...(tokens.account ? { account: tokens.account } : {}) }
}

function withCredential(error: unknown, name: string) {
  if (error instanceof AutomateError && !error.details)
    return new AutomateError(error.code, error.message, {
      status: error.status,
      retryable: false,
      details: { credential: name },
      cause: error,
    })
  return error
}

/**
 * Disconnects: revokes the grant where the provider has a revocation endpoint (the refresh
 * token, which ends the whole grant at Google; else the access token), then forgets the tokens.
 * A provider's refusal (the grant was revoked already) does not keep the tokens.
 */
export async function disconnect(env: Env, name: string) {
  const row = await oauthRow(env.DB, name)
  const { data, tokens } = await openOAuth(env, row)
  let revoked = false
  if (tokens) {
    try {
      revoked = await revokeToken(data, tokens.refreshToken ?? tokens.accessToken)
    } catch (error) {
      if (!(error instanceof GrantError)) throw error
    }
  }
  if (!(await forgetTokens(env.DB, env, row, data))) {
    throw new AutomateError('OAUTH_ERROR', `Credential ${name} changed meanwhile: try again`, {
      status: 409,
    })
  }
  return { revoked }
}

/** What the credential's page and GET /api/credentials/:name show of a connection. */
export async function connectionDetails(env: Env, name: string) {
  const row = await oauthRow(env.DB, name)
  const { tokens } = await openOAuth(env, row)
  if (row.connection === 'needs_reconnect') {
    return {
      status: 'needs_reconnect' as const,
      note: row.connectionNote ?? undefined,
      account: tokens?.account,
    }
  }
  if (!tokens) return { status: 'not_connected' as const }
  return {
    status: 'connected' as const,
    account: tokens.account,
    scopes: tokens.scopes,
    ...(tokens.expiresAt ? { expiresAt: new Date(tokens.expiresAt).toISOString() } : {}),
  }
}

export { needsReconnect }
