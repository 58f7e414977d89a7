import { describe, expect, it } from 'vitest'
import { nodeFailure, runNode } from '../test/apps'
import { type OAuthApp, connectedCredential, oauthApp } from '../test/oauth'
import createEvent from './google-calendar-create-event'

async function inserted(app: OAuthApp) {
  const response = await fetch(`${app.apiBase}/__requests`)
  const { requests } = (await response.json()) as {
    requests: { path: string; query: Record<string, string>; body: any }[]
  }
  return requests.filter((r) => r.path.startsWith('/calendar/v3/'))
}

describe('google-calendar-create-event', () => {
  it('creates a timed event in a time zone, with attendees', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const output = await runNode(createEvent, {
      credential,
      summary: 'Onboarding call',
      start: '2026-05-01T09:30',
      timeZone: 'Europe/Paris',
      attendees: ['ada@example.com', 'bob@example.com'],
      sendUpdates: 'all',
    })
    expect(output).toMatchObject({
      status: 'confirmed',
      start: { dateTime: '2026-05-01T09:30:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-05-01T10:30:00', timeZone: 'Europe/Paris' },
    })
    const [request] = await inserted(app)
    expect(request!.path).toBe('/calendar/v3/calendars/primary/events')
    expect(request!.query).toEqual({ sendUpdates: 'all' })
    expect(request!.body).toEqual({
      summary: 'Onboarding call',
      start: { dateTime: '2026-05-01T09:30:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-05-01T10:30:00', timeZone: 'Europe/Paris' },
      attendees: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
    })
  })

  it('creates an all-day event: dates, the end the day after the last', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    await runNode(createEvent, {
      credential,
      calendarId: 'team@group.calendar.google.com',
      summary: 'Offsite',
      start: '2026-06-30',
      end: '2026-07-01',
    })
    const [request] = await inserted(app)
    expect(decodeURIComponent(request!.path)).toBe(
      '/calendar/v3/calendars/team@group.calendar.google.com/events',
    )
    expect(request!.body.start).toEqual({ date: '2026-06-30' })
    expect(request!.body.end).toEqual({ date: '2026-07-02' })
  })

  it('asks for a time zone when a time has no offset, before calling Google', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const error = await nodeFailure(createEvent, {
      credential,
      summary: 'Call',
      start: '2026-05-01T09:30',
    })
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('config.timeZone')
    expect(await inserted(app)).toEqual([])
  })

  it("fails with Google's words for an empty range", async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const error = await nodeFailure(createEvent, {
      credential,
      summary: 'Call',
      start: '2026-05-01T10:00:00Z',
      end: '2026-05-01T09:00:00Z',
    })
    expect(error.code).toBe('GOOGLE_CALENDAR_ERROR')
    expect(error.message).toContain('The specified time range is empty.')
  })
})
