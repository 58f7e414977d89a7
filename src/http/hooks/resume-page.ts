import type { Context } from 'hono'
import { html } from 'hono/html'

// The pages a person sees at a resume URL opened in a browser. They share the admin page's
// origin, so they run no script at all, post only back to themselves, and send no referrer (the
// URL holds the token).
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1.25rem;cursor:pointer}dt{font-weight:600}dd{margin:0 0 .5rem}`

function page(
  c: Context,
  title: string,
  body: ReturnType<typeof html>,
  status: 200 | 409 | 410 = 200,
) {
  c.header('Content-Security-Policy', CSP)
  c.header('Referrer-Policy', 'no-referrer')
  c.header('Cache-Control', 'no-store')
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>${title}</title>
          <style>
            ${STYLE}
          </style>
        </head>
        <body>
          ${body}
        </body>
      </html>`,
    status,
  )
}

/**
 * A GET never answers the wait: link previews and crawlers fetch URLs too. The form posts to
 * this same URL, query included, so `?decision=approve` arrives with the answer.
 */
export function confirmPage(c: Context, query: Record<string, unknown>, until: number) {
  const fields = Object.entries(query)
  return page(
    c,
    'Send your answer?',
    html`<h1>Send your answer?</h1>
      <p>A workflow is waiting for this answer until ${new Date(until).toISOString()}.</p>
      ${
        fields.length
          ? html`<dl>
              ${fields.map(
                ([key, value]) =>
                  html`<dt>${key}</dt>
                    <dd>${typeof value === 'string' ? value : JSON.stringify(value)}</dd>`,
              )}
            </dl>`
          : ''
      }
      <form method="post"><button type="submit">Send</button></form>`,
  )
}

/** A short answer for a person: sent, or why the link does not work (with the JSON's status). */
export function messagePage(
  c: Context,
  title: string,
  message: string,
  status: 200 | 409 | 410 = 200,
) {
  return page(
    c,
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
    status,
  )
}
