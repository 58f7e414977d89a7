import { PostButton } from './post-button'
import { WebhookUrl } from './webhook-url'

export type OAuthView = {
  connection: {
    status: 'not_connected' | 'connected' | 'needs_reconnect'
    account?: string
    scopes?: string[]
    expiresAt?: string
    note?: string
  }
  redirectUri: string
  warning?: string
}

/**
 * An oauth2 credential's connection: who it is connected as, or why it needs reconnecting, the
 * redirect URI to register at the provider, and the buttons that change it.
 */
export function OAuthCard({ name, view }: { name: string; view: OAuthView }) {
  const { connection } = view
  const path = `/admin/credentials/${encodeURIComponent(name)}`
  return (
    <section class="card" id="connection">
      <div class="card-head">
        <h2>Connection</h2>
      </div>
      <div class="card-body">
        {connection.status === 'connected' ? (
          <p>
            Connected as{' '}
            <strong>{connection.account ?? 'an account the provider did not name'}</strong>
            {connection.scopes?.length ? (
              <span class="muted small"> · scopes {connection.scopes.join(' ')}</span>
            ) : null}
          </p>
        ) : connection.status === 'needs_reconnect' ? (
          <div class="error-box" role="alert">
            Needs to be reconnected{connection.note ? `: ${connection.note}` : ''}. Runs that use it
            fail with CREDENTIAL_NEEDS_RECONNECT until then.
          </div>
        ) : (
          <p class="muted">Not connected yet.</p>
        )}
        <div class="field">
          <p>
            <strong>Redirect URI</strong> to register at the provider:
          </p>
          <WebhookUrl url={view.redirectUri} label="Copy the redirect URI" />
          {view.warning ? (
            <p class="hint warn-box" role="note">
              {view.warning}
            </p>
          ) : null}
        </div>
        <div class="actions">
          <PostButton action={`${path}/connect`} primary>
            {connection.status === 'not_connected' ? 'Connect' : 'Reconnect'}
          </PostButton>
          {connection.status === 'not_connected' ? null : (
            <PostButton
              action={`${path}/disconnect`}
              danger
              confirm={`Disconnect ${name}? Its grant is revoked at the provider where it can be.`}
            >
              Disconnect
            </PostButton>
          )}
        </div>
      </div>
    </section>
  )
}

/**
 * The step between Connect and the provider. A link, not a redirect: the admin pages' CSP says
 * `form-action 'self'`, which browsers apply to a form's redirects too.
 */
export function ContinueToProvider({ name, authorizeUrl }: { name: string; authorizeUrl: string }) {
  const host = new URL(authorizeUrl).host
  return (
    <section class="card">
      <div class="card-body">
        <h1>
          Connect <code>{name}</code>
        </h1>
        <p>
          Sign in at {host} and allow access; you come back here. The link works once, in this
          browser, for 10 minutes.
        </p>
        <p>
          <a class="button primary" href={authorizeUrl} id="continue-to-provider">
            Continue to {host}
          </a>
        </p>
      </div>
    </section>
  )
}
