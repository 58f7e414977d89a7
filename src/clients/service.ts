import { z } from 'zod'
import type { ErrorCode } from '../errors'

/**
 * One kind of stored credential: the zod schema of its `data` (the API and the admin form check
 * it), which of its fields say which account rather than how to get in, and sample data.
 */
export type CredentialKind<Data extends z.ZodType = z.ZodType> = {
  data: Data
  /**
   * Fields that are not secret (a user name, a service account's email): the admin form shows
   * them as typed and redaction does not learn them. Every other field is a secret.
   */
  notSecret?: readonly string[]
  /**
   * Data the contract suite stores as a node's credential for its sample run. Leave it out where
   * the data is a key that must not live in the repo (test/sample-credentials.ts makes one).
   */
  sample?: Record<string, unknown>
  /**
   * The credential has no service of its own (a generic HTTP credential): it must name the
   * baseUrl it belongs to, and is never sent anywhere else.
   */
  needsBaseUrl?: boolean
}

/**
 * At most `calls` calls per `intervalMs`: a node's `rateLimit`, or a service's documented default.
 * The engine spaces a forEach's elements `intervalMs / calls` apart, so no window of `intervalMs`
 * holds more than `calls` of them.
 */
export type RateLimit = { calls: number; intervalMs: number }

/** How a client's failures are named: in messages, and by the code they carry. */
export type ServiceName = { name: string; errorCode: ErrorCode }

/**
 * An integration, declared once in its client file: everything else (credential types, error
 * codes, the node's credential field) is composed from these declarations by
 * `npm run registry` (src/generated/service-registry.ts, src/generated/error-codes.ts).
 */
export type Service<Kinds extends Record<string, CredentialKind> = Record<string, CredentialKind>> =
  ServiceName & {
    /** The official API base URL; a credential's baseUrl replaces it. */
    baseUrl?: string
    /** Codes the client or its nodes throw besides errorCode. */
    otherCodes?: readonly ErrorCode[]
    /** The credential types it accepts, by type name (kebab-case, unique across services). */
    credentials: Kinds
    /**
     * The pace the API documents (with the page it says so on, in a comment): a forEach over one
     * of its nodes is spaced to it unless the node sets its own `rateLimit`.
     */
    rateLimit?: RateLimit
    /** The headers that authenticate a call, for an API that takes its credential in one. */
    authenticate?(credential: CredentialOf<{ credentials: Kinds }>): Record<string, string>
  }

/** Identity: exists so a declaration keeps its literal types (credential type names, schemas). */
export function defineService<const Kinds extends Record<string, CredentialKind>>(
  service: Service<Kinds>,
) {
  return service
}

/**
 * A connected oauth2 credential's access token, as a client gets it: `renew` is called with a
 * token the API refused (a 401) and gives a fresh one, refreshing at most once across every run
 * (src/credentials/oauth/refresh.ts), or the stored one when another run already refreshed.
 */
export type OAuthAccess = { token: string; renew(rejected: string): Promise<string> }

/** A decrypted credential of one of a service's types, as its client gets it. */
export type CredentialOf<
  S extends { credentials: Record<string, CredentialKind> },
  T extends keyof S['credentials'] & string = keyof S['credentials'] & string,
> = {
  [K in T]: {
    name: string
    type: K
    data: z.output<S['credentials'][K]['data']>
    baseUrl?: string
    /** An oauth2 credential's access token (only an oauth2 credential has one). */
    access?: OAuthAccess
  }
}[T]

/** A secret field: a token, a key, a password. */
export const secret = () => z.string().min(1, 'must not be empty').max(10_000)

export const httpUrl = () =>
  z
    .string()
    .url()
    .max(2000)
    .refine((url) => /^https?:\/\//i.test(url), 'must be an http or https URL')
