// What a polling trigger file (triggers/) may use of AutomateOS, besides its service's client and
// zod: the node API's helpers (the same HTTP transport and credential checks) and its own define.
export {
  AutomateError,
  HTTP_CREDENTIAL_TYPES,
  MAX_RESPONSE_BYTES,
  appendQuery,
  authenticate,
  credentialName,
  credentialUrl,
  evaluateExpression,
  fetchFollowing,
  httpError,
  isHttpUrl,
  jsonataSource,
  noAnswerError,
  readBody,
  refused,
} from '../nodes/node-api'
export { definePollTrigger, type PollItem } from './define-trigger'
