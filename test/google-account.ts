import { createCredential } from './credentials'
import { fakeApp } from './apps'

function pem(label: string, der: ArrayBuffer) {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)))
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`
}

/**
 * A Google service account made for one test: a fresh RSA key pair (none is committed), its
 * public half registered with the fake token endpoint, and a google-service-account credential
 * holding the key file, pointed at the fake token endpoint and Sheets API.
 */
export async function serviceAccount() {
  const id = crypto.randomUUID().slice(0, 8)
  const keys = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const privateKey = pem(
    'PRIVATE KEY',
    (await crypto.subtle.exportKey('pkcs8', keys.privateKey)) as ArrayBuffer,
  )
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey)
  const tokenHost = fakeApp('google-token')
  const sheets = fakeApp('sheets')
  const keyFile = {
    type: 'service_account',
    project_id: 'automateos-test',
    private_key_id: `key-${id}`,
    private_key: privateKey,
    client_email: `bot-${id}@automateos-test.iam.gserviceaccount.com`,
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenHost.url('/token'),
  }
  await fetch(tokenHost.url('/__google/keys'), {
    method: 'POST',
    body: JSON.stringify({ client_email: keyFile.client_email, jwk }),
  })
  const credential = await createCredential('google-service-account', keyFile, {
    baseUrl: sheets.base,
  })
  return { credential, keyFile, tokenHost, sheets }
}
