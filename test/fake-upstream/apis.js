// Which fake API answers a host: the official API hosts, and `<api>-<anything>.upstream.test`
// for a test that points a credential's baseUrl (or a webhook URL) at a host of its own.
import { discord } from './discord.js'
import { github } from './github.js'
import { googleAdmin, googleToken, sheetsApi } from './google.js'
import { mcp } from './mcp.js'
import { notion } from './notion.js'
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
  [/^mcp-/, mcp],
]

/** The fake API for this request, or undefined for the generic echo. */
export function apiFor(url) {
  if (url.pathname === '/__google/keys') return googleAdmin
  if (/^oauth2\.googleapis\.com$|^google-token-/.test(url.hostname)) return googleToken
  return APIS.find(([pattern]) => pattern.test(url.hostname))?.[1]
}
