import { AutomateError } from '../errors'

/** One email, as gmail-send's config gives it. */
export type MailParts = {
  to: string[]
  cc?: string[]
  bcc?: string[]
  subject: string
  text?: string
  html?: string
}

const encoder = new TextEncoder()

function base64(bytes: Uint8Array) {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text)
}

/** base64url without padding, as Gmail's `raw` takes it (RFC 4648 §5). */
export function base64Url(text: string) {
  return base64(encoder.encode(text)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text)

/**
 * A header value with non-ASCII text as RFC 2047 encoded words (UTF-8, base64), each at most 75
 * characters and cut between characters, never inside one; folded onto lines of their own.
 */
export function encodeWords(text: string) {
  if (isAscii(text)) return text
  const words: string[] = []
  let chunk = ''
  for (const char of text) {
    // 45 bytes of UTF-8 make 60 of base64: with "=?UTF-8?B?" and "?=" a word stays under 75.
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk)
      chunk = ''
    }
    chunk += char
  }
  if (chunk) words.push(chunk)
  return words.map((word) => `=?UTF-8?B?${base64(encoder.encode(word))}?=`).join('\r\n ')
}

/** An address, with a non-ASCII display name encoded: `Zoë <zoe@example.com>`. */
function address(value: string, field: string) {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value)
  const email = match ? match[2]! : value.trim()
  if (!/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(email)) {
    throw new AutomateError(
      'CONFIG_INVALID',
      `${field}: ${JSON.stringify(value)} is not an email address`,
      {
        retryable: false,
        details: [
          { path: `config.${field}`, message: 'must be an email address or "Name <address>"' },
        ],
      },
    )
  }
  const name = match?.[1]?.trim()
  if (!name) return email
  return `${isAscii(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWords(name)} <${email}>`
}

/** A body part: UTF-8, base64 in lines of 76 (RFC 2045 §6.8). */
function part(type: string, body: string) {
  const lines = base64(encoder.encode(body)).match(/.{1,76}/g) ?? ['']
  return [
    `Content-Type: ${type}; charset=UTF-8`,
    'Content-Transfer-Encoding: base64',
    '',
    lines.join('\r\n'),
  ].join('\r\n')
}

/**
 * The RFC 2822 message: CRLF lines, ASCII headers (RFC 2047 for the rest), plain text, HTML, or
 * both as multipart/alternative (plain first: clients show the last part they can). No header
 * value can carry a line break: each comes from filled-in templates, and a newline there would
 * add headers of the sender's choosing (a Bcc).
 */
export function mimeMessage(mail: MailParts, boundary = `automateos-${crypto.randomUUID()}`) {
  for (const [field, values] of Object.entries({
    to: mail.to,
    cc: mail.cc,
    bcc: mail.bcc,
    subject: [mail.subject],
  }))
    for (const value of values ?? [])
      if (/[\r\n]/.test(value))
        throw new AutomateError('CONFIG_INVALID', `${field} cannot contain a line break`, {
          retryable: false,
          details: [{ path: `config.${field}`, message: 'cannot contain a line break' }],
        })
  const list = (field: string, values?: string[]) =>
    values?.length
      ? [
          `${field[0]!.toUpperCase()}${field.slice(1)}: ${values.map((v) => address(v, field)).join(', ')}`,
        ]
      : []
  const headers = [
    ...list('to', mail.to),
    ...list('cc', mail.cc),
    // Gmail takes Bcc from the message and leaves it out of what the recipients get.
    ...list('bcc', mail.bcc),
    `Subject: ${encodeWords(mail.subject)}`,
    'MIME-Version: 1.0',
  ]
  if (mail.text !== undefined && mail.html !== undefined) {
    return [
      ...headers,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      part('text/plain', mail.text),
      `--${boundary}`,
      part('text/html', mail.html),
      `--${boundary}--`,
      '',
    ].join('\r\n')
  }
  const only =
    mail.html !== undefined ? part('text/html', mail.html) : part('text/plain', mail.text ?? '')
  return [...headers, only, ''].join('\r\n')
}
