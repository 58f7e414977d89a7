/**
 * What AutomateOS knows of each provider's OAuth2 authorization code flow. A credential's own
 * `authorizeUrl` and `tokenUrl` replace these (a proxy, a test server); the `generic` preset
 * has none, so the credential must give both.
 *
 * Where a provider departs from RFC 6749 it is written here:
 * - Google needs `access_type=offline` for a refresh token and `prompt=consent` to get one again
 *   on a reconnect (https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient);
 *   it sends `iss` on the callback (RFC 9207).
 * - Notion wants the client's id and secret as HTTP Basic at its token endpoint
 *   (https://developers.notion.com/docs/authorization#step-3-send-the-code-in-a-post-request-to-the-notion-api)
 *   and `owner=user` on the authorize URL; it names the workspace in the token answer.
 * - Slack's bot install is `oauth/v2/authorize` + `oauth.v2.access`
 *   (https://api.slack.com/authentication/oauth-v2): comma-separated `scope`, a `token_type` of
 *   `bot`, `ok: false` with HTTP 200 on failure, the workspace in `team.name`. arctic's Slack
 *   preset is "Sign in with Slack" (OpenID Connect, user scopes): not what a bot needs, so the
 *   protocol here is oauth4webapi with Slack's differences handled in oauth2-protocol.ts.
 * - GitHub (an OAuth app) answers form-encoded unless asked for JSON, and a failed exchange with
 *   HTTP 200 and `{ error }` (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps);
 *   its tokens do not expire and come without a refresh token.
 */
export type OAuthPreset = {
  title: string
  authorizeUrl?: string
  tokenUrl?: string
  /** RFC 7009 revocation, where the provider has one; else disconnect only forgets. */
  revokeUrl?: string
  /**
   * How the revocation endpoint wants the token: a form field (RFC 7009), a bearer header
   * (Slack's auth.revoke), or JSON `{ token }` under the client's Basic auth (Notion:
   * https://developers.notion.com/reference/revoke-token).
   */
  revokeWith?: 'form' | 'bearer' | 'basic-json'
  /** The `iss` the callback carries (RFC 9207), checked when present. */
  issuer?: string
  scopes: readonly string[]
  /** How the scopes are joined in the authorize URL: RFC 6749 says spaces, Slack commas. */
  scopeSeparator?: string
  extraAuthorizeParams?: Record<string, string>
  /** How the client authenticates at the token endpoint. */
  clientAuth: 'basic' | 'post'
  /** The API base URLs its tokens may be sent to (a credential's baseUrl replaces them all). */
  apiBases: readonly string[]
  /** Where the account's name comes from after the exchange. */
  account?: { url: string; field: string } | { tokenField: string }
}

const GOOGLE_SCOPES = {
  sheets: 'https://www.googleapis.com/auth/spreadsheets',
  gmailSend: 'https://www.googleapis.com/auth/gmail.send',
  calendarEvents: 'https://www.googleapis.com/auth/calendar.events',
  driveFile: 'https://www.googleapis.com/auth/drive.file',
}

export const OAUTH_PRESETS = {
  google: {
    title: 'Google (Gmail, Calendar, Sheets, Drive)',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    revokeWith: 'form',
    issuer: 'https://accounts.google.com',
    // `email` for the account's name (userinfo); not `openid`, whose ID token names the issuer of
    // accounts.google.com, which a replaced authorize URL (a proxy) would not match.
    scopes: ['email', ...Object.values(GOOGLE_SCOPES)],
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
    clientAuth: 'post',
    apiBases: [
      'https://gmail.googleapis.com',
      'https://www.googleapis.com',
      'https://sheets.googleapis.com',
      'https://openidconnect.googleapis.com',
    ],
    account: { url: 'https://openidconnect.googleapis.com/v1/userinfo', field: 'email' },
  },
  notion: {
    title: 'Notion (public integration)',
    authorizeUrl: 'https://api.notion.com/v1/oauth/authorize',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    revokeUrl: 'https://api.notion.com/v1/oauth/revoke',
    revokeWith: 'basic-json',
    scopes: [],
    extraAuthorizeParams: { owner: 'user' },
    clientAuth: 'basic',
    apiBases: ['https://api.notion.com'],
    account: { tokenField: 'workspace_name' },
  },
  slack: {
    title: 'Slack (bot installed in a workspace)',
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    revokeUrl: 'https://slack.com/api/auth.revoke',
    revokeWith: 'bearer',
    scopes: ['chat:write', 'channels:read'],
    scopeSeparator: ',',
    clientAuth: 'post',
    apiBases: ['https://slack.com/api'],
    account: { tokenField: 'team.name' },
  },
  github: {
    title: 'GitHub (OAuth app)',
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    scopes: ['repo'],
    clientAuth: 'post',
    apiBases: ['https://api.github.com'],
    account: { url: 'https://api.github.com/user', field: 'login' },
  },
  generic: {
    title: 'Any OAuth2 provider (every field yours)',
    scopes: [],
    clientAuth: 'post',
    apiBases: [],
  },
} as const satisfies Record<string, OAuthPreset>

export type OAuthPresetName = keyof typeof OAUTH_PRESETS
export const OAUTH_PRESET_NAMES = Object.keys(OAUTH_PRESETS) as OAuthPresetName[]

export function presetOf(name: OAuthPresetName): OAuthPreset {
  return OAUTH_PRESETS[name]
}
