import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { ADMIN_SCRIPT } from '../../../generated/admin-script'
import { CsrfField } from './csrf-field'
import { Nav } from './nav'
import { usePage } from './page-context'
import { STYLES } from './styles'

// A data: URL, so the browser's favicon request does not end in a JSON 404.
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='4' fill='%233557d6'/%3E%3Cpath d='M4 11l4-7 4 7' stroke='white' stroke-width='2' fill='none'/%3E%3C/svg%3E"

type LayoutProps = {
  title?: string
  signedIn?: boolean
  /**
   * Reload every so many seconds when scripts are off: how a page without them follows a run in
   * progress. With scripts, the [data-live] parts of the page refresh in place instead.
   */
  refreshSeconds?: number
  children?: Child
}

export function Layout({ title, signedIn = false, refreshSeconds, children }: LayoutProps) {
  const { nonce } = usePage()
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          {refreshSeconds ? (
            <noscript>
              <meta http-equiv="refresh" content={String(refreshSeconds)} />
            </noscript>
          ) : null}
          <title>{title ? `${title} · AutomateOS` : 'AutomateOS'}</title>
          <link rel="icon" href={FAVICON} />
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          <a class="skip" href="#content">
            Skip to content
          </a>
          <header class="top">
            <div class="wrap top-row">
              <a class="brand" href="/admin">
                Automate<span>OS</span>
              </a>
              {signedIn ? (
                <form method="post" action="/admin/logout">
                  <CsrfField />
                  <button type="submit">Sign out</button>
                </form>
              ) : null}
            </div>
            {signedIn ? (
              <div class="wrap">
                <Nav />
              </div>
            ) : null}
          </header>
          <main class="wrap" id="content">
            {children}
          </main>
          {nonce ? <script nonce={nonce}>{raw(ADMIN_SCRIPT)}</script> : null}
        </body>
      </html>
    </>
  )
}
