/**
 * Whether this build's admin API has a route: pages offer a button only for what the API can
 * do (rotate-token, replay and resume arrive with other issues' work).
 */
export async function apiHas(method: string, path: string): Promise<boolean> {
  const { app } = await import('../../../app')
  return app.routes.some((r) => r.method === method && r.path === path)
}
