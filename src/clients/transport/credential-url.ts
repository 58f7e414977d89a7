import { AutomateError } from '../../errors'
import { checkWithinBase } from './credential-scope'

export const isHttpUrl = (url: string) => {
  try {
    return /^https?:$/.test(new URL(url).protocol)
  } catch {
    return false
  }
}

/**
 * Where a generic HTTP call (http-request, http-poll) goes. A credential goes only under its own
 * baseUrl (issue 20): a path is resolved against it, and a URL anywhere else, filled in from a
 * template or not, is refused rather than sent the secret, as is a path that climbs out of the
 * base (`/../`, `%2e%2e`). A credential stored before baseUrl was required has none, and is sent
 * nowhere until it gets one.
 */
export function credentialUrl(
  raw: string,
  credential: { name: string; baseUrl?: string } | undefined,
) {
  if (!credential?.baseUrl) {
    if (credential) {
      throw new AutomateError(
        'CREDENTIAL_ORIGIN',
        `Credential ${credential.name} has no baseUrl, so it is not sent anywhere: an http-* ` +
          'credential goes only to the API it names. Set its baseUrl once, with PUT ' +
          `/api/credentials/${credential.name} {"data": {…}, "baseUrl": "https://api.example.com"} ` +
          "or on the credential's admin page",
        {
          retryable: false,
          details: [{ path: 'config.credential', message: 'the credential needs a baseUrl' }],
        },
      )
    }
    if (!isHttpUrl(raw)) {
      throw new AutomateError(
        'CONFIG_INVALID',
        'config.url is a path, which needs a credential with a baseUrl',
        { retryable: false, details: [{ path: 'config.url', message: 'must be an absolute URL' }] },
      )
    }
    return new URL(raw)
  }
  const base = new URL(credential.baseUrl)
  const url = isHttpUrl(raw) ? new URL(raw) : new URL(base.pathname.replace(/\/$/, '') + raw, base)
  return checkWithinBase(url, base, `Credential ${credential.name}`)
}
