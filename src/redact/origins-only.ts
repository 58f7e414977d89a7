// scheme://[user:password@]host[:port] then anything up to a space or a quote.
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^/\s"'<>?#@]*@)?([^/\s"'<>?#]*)[^\s"'<>]*/gi

/**
 * Every URL in a message cut to its origin (and no user or password): Slack, Discord and Telegram
 * keep their secrets in the path, other APIs in the query, and messages end up in step rows and logs.
 */
export function originsOnly<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : text.replace(URL_IN_TEXT, '$1$2')) as T
}
