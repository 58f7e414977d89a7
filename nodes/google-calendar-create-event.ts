import { z } from 'zod'
import { type EventTime, googleCalendar, insertEvent } from '../src/clients/google-calendar'
import { AutomateError, defineNode } from '../src/nodes/node-api'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/

const when = z.string().refine((v) => DATE.test(v) || DATE_TIME.test(v), {
  message:
    'must be a date (2026-05-01, all day) or a date and time (2026-05-01T09:30, with an offset or timeZone)',
})

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export default defineNode({
  type: 'google-calendar-create-event',
  title: 'Google Calendar: create an event',
  description:
    'Creates an event in a calendar of the connected Google account (an oauth2 credential, preset ' +
    'google, scope calendar.events): timed (with a time zone) or all day, with attendees.',
  sample: {
    config: {
      credential: 'my-calendar',
      summary: 'Onboarding call',
      start: '2026-05-01T09:30',
      end: '2026-05-01T10:00',
      timeZone: 'Europe/Paris',
      attendees: ['ada@example.com'],
    },
    input: {},
  },
  service: googleCalendar,
  config: z
    .object({
      calendarId: z
        .string()
        .min(1)
        .default('primary')
        .describe("A calendar id; 'primary' is the account's own"),
      summary: z.string().min(1).max(1024).describe("The event's title"),
      description: z.string().max(8192).optional(),
      location: z.string().max(1024).optional(),
      start: when.describe('A date (all day) or a date and time'),
      end: when
        .optional()
        .describe(
          'Same form as start; all day: the last day (default: start); timed: default one hour after',
        ),
      timeZone: z
        .string()
        .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Paris')
        .optional()
        .describe('IANA time zone of start and end (needed when they carry no offset)'),
      attendees: z.array(z.string().email()).max(100).optional().describe('Attendee emails'),
      sendUpdates: z
        .enum(['all', 'externalOnly', 'none'])
        .default('none')
        .describe('Whom Google emails an invitation: none (default), all or externalOnly'),
    })
    .refine((c) => !c.end || DATE.test(c.start) === DATE.test(c.end), {
      message: 'start and end must both be dates (all day) or both dates and times',
      path: ['end'],
    }),
  async run(_input, ctx) {
    const { config, signal } = ctx
    const credential = await ctx.credential()
    const [start, end] = times(config)
    const event = {
      summary: config.summary,
      ...(config.description ? { description: config.description } : {}),
      ...(config.location ? { location: config.location } : {}),
      start,
      end,
      ...(config.attendees?.length
        ? { attendees: config.attendees.map((email) => ({ email })) }
        : {}),
    }
    const created = await insertEvent(
      credential,
      config.calendarId,
      event,
      config.sendUpdates,
      signal,
    )
    return {
      id: created.id,
      htmlLink: created.htmlLink ?? null,
      status: created.status ?? null,
      start: created.start,
      end: created.end,
    }
  },
})

/**
 * Google's start and end. All day: `date`s, the end exclusive (the day after the last), as
 * Calendar stores them. Timed: `dateTime` with the time zone; one without an offset needs it.
 */
function times(config: { start: string; end?: string; timeZone?: string }): [EventTime, EventTime] {
  if (DATE.test(config.start)) {
    const last = config.end ?? config.start
    return [{ date: config.start }, { date: nextDay(last) }]
  }
  if (
    !config.timeZone &&
    (!OFFSET.test(config.start) || (config.end && !OFFSET.test(config.end)))
  ) {
    throw new AutomateError('CONFIG_INVALID', 'A time without an offset needs config.timeZone', {
      retryable: false,
      details: [
        {
          path: 'config.timeZone',
          message: 'required when start or end has no offset (Z, +02:00)',
        },
      ],
    })
  }
  const zone = config.timeZone ? { timeZone: config.timeZone } : {}
  const end = config.end ?? plusHour(config.start)
  return [
    { dateTime: withSeconds(config.start), ...zone },
    { dateTime: withSeconds(end), ...zone },
  ]
}

function nextDay(date: string) {
  const day = new Date(`${date}T00:00:00Z`)
  day.setUTCDate(day.getUTCDate() + 1)
  return day.toISOString().slice(0, 10)
}

function withSeconds(value: string) {
  return value.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=$|Z|[+-])/, '$1:00')
}

/** One hour later, on the wall clock of the same offset or zone. */
function plusHour(start: string) {
  const offset = OFFSET.exec(start)?.[0] ?? ''
  const local = start.slice(0, start.length - offset.length)
  const at = new Date(`${withSeconds(local).slice(0, 19)}Z`)
  at.setUTCHours(at.getUTCHours() + 1)
  return at.toISOString().slice(0, 19) + offset
}
