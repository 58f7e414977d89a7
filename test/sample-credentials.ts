import type { CredentialType } from '../src/credentials/types'
import { serviceAccount } from './google-account'
import { connectedCredential, oauthApp } from './oauth'

/**
 * Credentials the contract suite makes at run time for a node whose sample gives no credential
 * data, because that data is a private key: none is committed to the repo or built into the Worker.
 * Each returns the name of the stored credential.
 */
export const SAMPLE_CREDENTIALS: Partial<Record<CredentialType, () => Promise<string>>> = {
  'google-service-account': async () => (await serviceAccount()).credential,
  // A Google account connected through the whole flow against the fake authorization server.
  oauth2: async () => connectedCredential(await oauthApp()),
}
