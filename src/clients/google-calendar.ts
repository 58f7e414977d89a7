import { apiUrl, callApi } from './call-api'
import { OAUTH2_KIND, oauthAccess, withAccessToken } from './oauth2'
import { type CredentialOf, defineService } from './service'

/** Google Calendar, with a Google oauth2 credential (scope calendar.events). */
export const googleCalendar = defineService({
  name: 'Google Calendar',
  errorCode: 'GOOGLE_CALENDAR_ERROR',
  baseUrl: 'https://www.googleapis.com',
  credentials: { oauth2: OAUTH2_KIND },
})

export type EventTime = { date: string } | { dateTime: string; timeZone?: string }

/** events.insert (https://developers.google.com/calendar/api/v3/reference/events/insert). */
export async function insertEvent(
  credential: CredentialOf<typeof googleCalendar>,
  calendarId: string,
  event: Record<string, unknown>,
  sendUpdates: string,
  signal?: AbortSignal,
) {
  const access = oauthAccess(credential, 'google')
  const url = apiUrl(
    googleCalendar.baseUrl!,
    credential.baseUrl,
    `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`,
  )
  url.searchParams.set('sendUpdates', sendUpdates)
  const answer = await withAccessToken(access, (token) =>
    callApi({
      service: googleCalendar,
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      json: event,
      signal,
    }),
  )
  return answer.body as {
    id: string
    htmlLink?: string
    status?: string
    start: EventTime
    end: EventTime
  }
}
