import { apiUrl, callApi } from './call-api'
import { OAUTH2_KIND, oauthAccess, withAccessToken } from './oauth2'
import { type CredentialOf, defineService } from './service'

/** Gmail, with a Google oauth2 credential (scope gmail.send): a service account cannot send. */
export const gmail = defineService({
  name: 'Gmail',
  errorCode: 'GMAIL_ERROR',
  baseUrl: 'https://gmail.googleapis.com',
  credentials: { oauth2: OAUTH2_KIND },
})

/**
 * users.messages.send with the message as `raw`, base64url
 * (https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send); `threadId`
 * files it in a thread of the sender's (its Subject should match the thread's).
 */
export async function sendRaw(
  credential: CredentialOf<typeof gmail>,
  message: { raw: string; threadId?: string },
  signal?: AbortSignal,
) {
  const access = oauthAccess(credential, 'google')
  const url = apiUrl(gmail.baseUrl!, credential.baseUrl, '/gmail/v1/users/me/messages/send')
  const answer = await withAccessToken(access, (token) =>
    callApi({
      service: gmail,
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      json: message,
      signal,
    }),
  )
  return answer.body as { id: string; threadId: string; labelIds?: string[] }
}
