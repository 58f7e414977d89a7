import type { OAuthAccess } from '../../clients/oauth2'
import {
  GrantError,
  describeGrantError,
  refreshTokens,
  type TokenSet,
} from '../../clients/oauth2-protocol'
import { AutomateError } from '../../errors'
import { rememberSecret } from '../../redact/known-secrets'
import { findCredential } from '../store'
import {
  type CredentialRow,
  claimRefresh,
  markNeedsReconnect,
  openOAuth,
  releaseRefresh,
  saveTokens,
} from './connection-store'

/** A token is refreshed when less than this is left of it, so no call starts with a dying one. */
export const EXPIRY_MARGIN_MS = 60_000
/** How long a refresher holds its claim; a refresher that died is taken over after it. */
export const LEASE_MS = 30_000
/** How long a run waits for another run's refresh before it fails (retryably). */
const WAIT_MS = 25_000
const POLL_MS = 50

type Env = { DB: D1Database } & object

// One refresh per credential per isolate at a time: the runs of this isolate share its promise,
// and the claim in D1 (claimRefresh) makes it one across isolates.
const inFlight = new Map<string, Promise<string>>()

export function needsReconnect(name: string, why?: string | null) {
  return new AutomateError(
    'CREDENTIAL_NEEDS_RECONNECT',
    `Credential ${name} needs to be reconnected${why ? ` (${why})` : ''}: open ` +
      `/admin/credentials/${encodeURIComponent(name)} and press Reconnect`,
    { status: 409, retryable: false, details: { credential: name } },
  )
}

const isStale = (tokens: TokenSet, now: number) =>
  tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_MARGIN_MS <= now

/** The access of an oauth2 row, refreshed first when it is about to expire. */
export async function oauthAccessOf(env: Env, row: CredentialRow): Promise<OAuthAccess> {
  if (row.connection === 'needs_reconnect') throw needsReconnect(row.name, row.connectionNote)
  const { tokens } = await openOAuth(env, row)
  if (!tokens) {
    throw new AutomateError(
      'CREDENTIAL_NEEDS_RECONNECT',
      `Credential ${row.name} is not connected yet: open /admin/credentials/${encodeURIComponent(row.name)} and press Connect`,
      { status: 409, retryable: false, details: { credential: row.name } },
    )
  }
  rememberSecret(tokens.accessToken)
  rememberSecret(tokens.refreshToken)
  const renew = (rejected: string) => refreshOnce(env, row.name, rejected)
  const token = isStale(tokens, Date.now()) ? await renew(tokens.accessToken) : tokens.accessToken
  return { token, renew }
}

function refreshOnce(env: Env, name: string, stale: string): Promise<string> {
  let running = inFlight.get(name)
  if (!running) {
    running = refreshAccessToken(env, name, stale).finally(() => inFlight.delete(name))
    inFlight.set(name, running)
  }
  return running
}

/**
 * A fresh access token for a credential whose token `stale` expired or was refused: the stored
 * one when another run already refreshed, else one from the provider, got by the one run that
 * wins the claim while the others wait for its write.
 */
export async function refreshAccessToken(env: Env, name: string, stale: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const row = await findCredential(env.DB, name)
    if (!row || row.type !== 'oauth2') {
      throw new AutomateError('CREDENTIAL_NOT_FOUND', `Credential ${name} no longer exists`, {
        retryable: false,
        details: { credential: name },
      })
    }
    if (row.connection === 'needs_reconnect') throw needsReconnect(name, row.connectionNote)
    const { data, tokens } = await openOAuth(env, row)
    if (!tokens) throw needsReconnect(name, 'it was disconnected')
    const now = Date.now()
    if (tokens.accessToken !== stale && !isStale(tokens, now)) {
      rememberSecret(tokens.accessToken)
      return tokens.accessToken
    }
    if (row.leaseUntil !== null && row.leaseUntil > now) {
      // Another run is refreshing: its write is what this run waits for.
      if (now > deadline) {
        throw new AutomateError(
          'OAUTH_ERROR',
          `Credential ${name}: another run's token refresh did not finish in time`,
          { retryable: true, details: { credential: name } },
        )
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      continue
    }
    if (!tokens.refreshToken) {
      await markNeedsReconnect(env.DB, name, row.version, 'the provider gave no refresh token')
      throw needsReconnect(name, 'the provider gave no refresh token')
    }
    if (!(await claimRefresh(env.DB, name, row.version, LEASE_MS))) continue
    const claimed = row.version + 1
    let fresh: TokenSet
    try {
      fresh = await refreshTokens(data, tokens.refreshToken)
    } catch (error) {
      if (!(error instanceof GrantError)) {
        await releaseRefresh(env.DB, name, claimed)
        throw error
      }
      // Refused. Another run may have rotated the refresh token meanwhile (one whose claim this
      // run took over, another deployment): then its tokens are the answer, not a failure.
      const again = await findCredential(env.DB, name)
      if (again && again.version !== claimed) continue
      const why = describeGrantError(error)
      await markNeedsReconnect(env.DB, name, claimed, why)
      throw needsReconnect(name, why)
    }
    const next = {
      ...fresh,
      // A provider that does not rotate sends no new refresh token: the old one stays good.
      refreshToken: fresh.refreshToken ?? tokens.refreshToken,
      ...(tokens.account ? { account: tokens.account } : {}),
    }
    // False only when this run's claim ran out and another took over (a refresh that hung for
    // LEASE_MS): the token is good all the same; the other run's write is the one kept.
    await saveTokens(env.DB, env, row, claimed, { data, tokens: next })
    return fresh.accessToken
  }
}
