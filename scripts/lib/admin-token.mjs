// The ADMIN_TOKEN check npm start makes before serving (the Worker makes the same one on every
// admin request: src/http/admin-token.ts, which a test keeps in step with this one).

/** 32 characters: `npm start` and `npm run deploy` make 43 (32 random bytes, base64url). */
export const MIN_ADMIN_TOKEN_LENGTH = 32

/** Why `token` cannot be used, naming the file to fix, never the token; undefined when usable. */
export function adminTokenProblem(token, where = '.dev.vars') {
  if (!token) return `ADMIN_TOKEN is missing from ${where}`
  if (token.length < MIN_ADMIN_TOKEN_LENGTH)
    return (
      `ADMIN_TOKEN in ${where} is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters; delete its ` +
      'line and start again for a new one'
    )
  return undefined
}
