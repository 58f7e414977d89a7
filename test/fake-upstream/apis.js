// Which fake API answers a host: the official API hosts, and `<api>-<anything>.upstream.test`
// for a test that points a credential's baseUrl (or a webhook URL) at a host of its own.
import { discord } from './discord.js'
import { github } from './github.js'
import { googleAdmin, googleToken, sheetsApi } from './google.js'
import { mcp } from './mcp.js'
import { notion } from './notion.js'
import { oauthServer as clientCredentialsServer } from './client-credentials.js'
import { googleUserApis, oauthAdmin, oauthServer } from './oauth.js'
import { anthropicCompat, azureOpenai, openai } from './openai.js'
import { slack } from './slack.js'
import { telegram } from './telegram.js'

const APIS = [
  [/^api\.notion\.com$|^notion-/, notion],
  [/^discord\.com$|^discord-/, discord],
  [/^api\.github\.com$|^github-/, github],
  [/^(hooks\.)?slack\.com$|^slack-/, slack],
  [/^api\.telegram\.org$|^telegram-/, telegram],
  [/^api\.openai\.com$|^openai-/, openai],
  [/\.openai\.azure\.com$|^azure-openai-/, azureOpenai],
  [/^api\.anthropic\.com$|^anthropic-/, anthropicCompat],
  [/^sheets\.googleapis\.com$|^sheets-/, sheetsApi],
  [/^client-credentials-/, clientCredentialsServer],
  [/^mcp-/, mcp],
]

/** The fake API for this request, or undefined for the generic echo. */
export function apiFor(url) {
  if (url.pathname === '/__google/keys') return googleAdmin
  if (/^\/__(oauth|gmail|calendar)\//.test(url.pathname)) return oauthAdmin
  if (/^oauth2\.googleapis\.com$|^google-token-/.test(url.hostname)) return googleToken
  if (/^oauth-/.test(url.hostname)) return oauthServer
  if (/^(gmail|www|openidconnect)\.googleapis\.com$/.test(url.hostname)) return googleUserApis
  // A Google oauth2 credential's baseUrl: every Google API under it.
  if (/^google-api-/.test(url.hostname))
    return url.pathname.startsWith('/v4/') ? sheetsApi : googleUserApis
  return APIS.find(([pattern]) => pattern.test(url.hostname))?.[1]
}
