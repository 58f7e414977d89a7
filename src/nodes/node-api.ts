// What a node file may use of AutomateOS, in one place: nodes import this module, their service's
// client (src/clients/<service>.ts) and zod, nothing else of src/. Whatever a node needs beyond
// it is added here, so the surface nodes depend on stays one list.
export { defineNode, haltRun, suspendRun, type NodeContext, type ResumeCall } from './define-node'
export { AutomateError, type ErrorCode } from '../errors'
export { credentialName } from '../credentials/types'
export { evaluateExpression, jsonataSource } from '../lib/jsonata'
// For the message nodes: each app's escaping, and texts longer than one message.
export {
  escapeDiscord,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownV2,
  escapeSlack,
} from '../lib/escape-markup'
export { visibleLength } from '../clients/markup-tokens'
export { sendParts, splitMessage } from '../clients/split-message'
// For the http-request node: the transport the clients use, with redirects and any URL.
export { HTTP_CREDENTIAL_TYPES, authenticate, refused } from '../clients/http-auth'
export { connectedAccess, withAccessToken } from '../clients/oauth2'
export { oauthApiUrl } from '../clients/oauth2-api-url'
export { fetchFollowing } from '../clients/transport/follow-redirects'
export { checkWithinBase } from '../clients/transport/credential-scope'
export { credentialUrl, isHttpUrl } from '../clients/transport/credential-url'
export { MAX_RESPONSE_BYTES, httpError, noAnswerError, readBody } from '../clients/transport/http'
export { appendQuery } from '../clients/transport/append-query'
export { encodeBody } from '../clients/transport/request-body'
export { readAnswer } from '../clients/transport/response-body'
// For the nodes that pause a run or run code.
export { MAX_QUEUE_DELAY_MS } from '../engine/messages'
export { runCode } from '../code/run-code'
// For the memory nodes (memory-get, memory-set, memory-increment, dedupe): their shared fields.
export { entryOutput, memoryKey, memoryNamespace, memoryTtl, memoryWindow } from './memory-fields'
// For the respond node: the headers it may set on a webhook's answer.
export { RESPONSE_HEADERS_RULE, isResponseHeaderAllowed } from './response-headers'
