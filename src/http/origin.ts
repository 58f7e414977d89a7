import type { Context } from 'hono'

/** This deployment's own origin, as the request reached it: the base of every URL we hand out. */
export const originOf = (c: Context) => new URL(c.req.url).origin
