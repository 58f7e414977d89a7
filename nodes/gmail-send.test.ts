import { describe, expect, it } from 'vitest'
import { base64Url, encodeWords, mimeMessage } from '../src/clients/mime-message'
import { nodeFailure, runInWorkflow, runNode } from '../test/apps'
import { type OAuthApp, connectedCredential, oauthApp } from '../test/oauth'
import gmailSend from './gmail-send'

type Sent = {
  id: string
  threadId: string
  from: string
  headers: Record<string, string>
  parts: { type: string; text: string }[]
}

async function sentBy(app: OAuthApp): Promise<Sent[]> {
  const { messages } = (await (await fetch(`${app.host}/__gmail/sent`)).json()) as {
    messages: Sent[]
  }
  return messages.filter((m) => m.from === app.email)
}

async function rawSent(app: OAuthApp) {
  const response = await fetch(`${app.apiBase}/__requests`)
  const { requests } = (await response.json()) as { requests: { path: string; body: any }[] }
  return requests.filter((r) => r.path === '/gmail/v1/users/me/messages/send').map((r) => r.body)
}

describe('gmail-send', () => {
  it('sends the RFC 2822 message Gmail expects: base64url raw, encoded subject, both bodies', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const output = await runNode(gmailSend, {
      credential,
      to: ['Zoë Ünal <zoe@example.com>', 'bob@example.com'],
      cc: 'carol@example.com',
      bcc: 'audit@example.com',
      subject: 'Bienvenue, Zoë — votre compte est prêt 🎉',
      text: 'Bonjour Zoë,\nvotre compte est prêt.',
      html: '<p>Bonjour <b>Zoë</b>,</p><p>votre compte est prêt.</p>',
    })
    expect(output).toMatchObject({ labelIds: ['SENT'] })

    const [request] = await rawSent(app)
    // base64url: no '+', '/' (standard base64) and no padding.
    expect(request.raw).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(request).not.toHaveProperty('threadId')

    const [message] = await sentBy(app)
    expect(message!.headers.to).toBe('Zoë Ünal <zoe@example.com>, bob@example.com')
    expect(message!.headers.cc).toBe('carol@example.com')
    expect(message!.headers.bcc).toBe('audit@example.com')
    expect(message!.headers.subject).toBe('Bienvenue, Zoë — votre compte est prêt 🎉')
    expect(message!.headers['mime-version']).toBe('1.0')
    expect(message!.headers['content-type']).toMatch(/^multipart\/alternative; boundary="/)
    expect(message!.parts).toEqual([
      { type: 'text/plain; charset=UTF-8', text: 'Bonjour Zoë,\nvotre compte est prêt.' },
      {
        type: 'text/html; charset=UTF-8',
        text: '<p>Bonjour <b>Zoë</b>,</p><p>votre compte est prêt.</p>',
      },
    ])
  })

  it('sends text alone, in a thread', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const output = (await runNode(gmailSend, {
      credential,
      to: 'ada@example.com',
      subject: 'Re: your order',
      text: 'Shipped.',
      threadId: 'thread-18c1f2',
    })) as { threadId: string }
    expect(output.threadId).toBe('thread-18c1f2')
    const [request] = await rawSent(app)
    expect(request.threadId).toBe('thread-18c1f2')
    const [message] = await sentBy(app)
    expect(message!.headers['content-type']).toBe('text/plain; charset=UTF-8')
    expect(message!.parts).toEqual([{ type: 'text/plain; charset=UTF-8', text: 'Shipped.' }])
  })

  it('builds the exact message: CRLF lines, ASCII headers, words of at most 75 characters', () => {
    const raw = mimeMessage({ to: ['ada@example.com'], subject: 'Hello', html: '<p>Hi</p>' }, 'b')
    expect(raw).toBe(
      [
        'To: ada@example.com',
        'Subject: Hello',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        '',
        btoa('<p>Hi</p>'),
        '',
      ].join('\r\n'),
    )
    const long = encodeWords('é'.repeat(100))
    for (const word of long.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75)
    expect(base64Url('\u{1F389}??>')).not.toMatch(/[+/=]/)
  })

  it('refuses a header with a line break (a filled-in template adding a Bcc)', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const error = await nodeFailure(gmailSend, {
      credential,
      to: 'ada@example.com',
      subject: 'Hi\r\nBcc: everyone@example.com',
      text: 'x',
    })
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('subject cannot contain a line break')
    expect(await rawSent(app)).toEqual([])
  })

  it("fails with Gmail's own words, and needs a Google credential", async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app, {
      scopes: ['email', 'https://www.googleapis.com/auth/calendar.events'],
    })
    const step = await runInWorkflow(
      'gmail-send',
      { credential, to: 'ada@example.com', subject: 'Hi', text: 'x' },
      {},
    )
    expect(step.error).toMatchObject({ code: 'GMAIL_ERROR' })
    expect(step.error!.message).toContain('Request had insufficient authentication scopes')

    const notion = await oauthApp()
    const other = await connectedCredential(notion, { preset: 'notion' })
    const refused = await nodeFailure(gmailSend, {
      credential: other,
      to: 'ada@example.com',
      subject: 'Hi',
      text: 'x',
    })
    expect(refused.code).toBe('CREDENTIAL_WRONG_TYPE')
    expect(refused.message).toContain('for notion; this needs one for google')
  })
})
