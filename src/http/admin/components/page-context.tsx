import type { Context } from 'hono'
import { createContext, useContext } from 'hono/jsx'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AdminEnv } from '../admin-env'

type PageInfo = { nonce: string; csrf: string; path: string }

// A context rather than props: every form and the layout need these, and threading them through
// each page would make every component signature about plumbing.
const PageContext = createContext<PageInfo>({ nonce: '', csrf: '', path: '' })

export const usePage = () => useContext(PageContext)

/** A page answered as HTML with this request's nonce and form token available to its parts. */
export function render(c: Context<AdminEnv>, page: Child, status: ContentfulStatusCode = 200) {
  const info = { nonce: c.get('nonce') ?? '', csrf: c.get('csrf') ?? '', path: c.req.path }
  return c.html(<PageContext.Provider value={info}>{page}</PageContext.Provider>, status)
}
