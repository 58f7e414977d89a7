import { Hono } from 'hono'
import type { Context } from 'hono'
import { credentialInfo, listCredentials } from '../../../credentials/store'
import { isCredentialType } from '../../../credentials/types'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'
import { credentialForm, dataFromForm } from '../lib/credential-form'
import { CredentialsPage, ReplaceCredentialPage } from '../pages/credentials-page'
import type { ShownError } from '../components/field-errors'
import { MessagePage } from '../pages/message-page'
import { render } from '../components/page-context'
import { ContinueToProvider, type OAuthView } from '../components/oauth-card'
import { Layout } from '../components/layout'
import { answerOf } from '../lib/api-answer'
import { redirectUriFor } from '../../oauth/redirect-uri'

type C = Context<AdminEnv>

export const credentialPages = new Hono<AdminEnv>()

const NOTICES: Record<string, string> = {
  added: 'Added. Its values are stored encrypted and will not be shown again.',
  replaced: 'Replaced. Runs from now on use the new values.',
  deleted: 'Deleted.',
  revoked: 'Disconnected: the grant was revoked at the provider and the tokens forgotten.',
  disconnected:
    'Disconnected: the tokens are forgotten (this provider has no revocation endpoint).',
}

const pathOf = (name: string) => `/api/credentials/${encodeURIComponent(name)}`

async function listPage(
  c: C,
  extra: { errors?: ShownError[]; typed?: { name?: string; baseUrl?: string } } = {},
) {
  const type = c.req.method === 'POST' ? (await c.req.parseBody()).type : c.req.query('type')
  return (
    <CredentialsPage
      credentials={await listCredentials(c.env.DB)}
      form={isCredentialType(type) ? credentialForm(type) : undefined}
      notice={NOTICES[c.req.query('done') ?? '']}
      problem={c.req.query('problem')}
      redirect={type === 'oauth2' ? redirectUriFor(c.env, c.req.url) : undefined}
      encryptionKeySet={Boolean(c.env.ENCRYPTION_KEY)}
      {...extra}
    />
  )
}

/** The API's refusal as errors on the form: field paths as the API names them (data.token). */
function shown(answer: Awaited<ReturnType<typeof apiCall>>): ShownError[] {
  if (answer.fieldErrors.length)
    return answer.fieldErrors.map((e) => ({
      path: e.path === '(body)' ? undefined : e.path,
      message: e.message,
    }))
  return [{ message: answer.message ?? 'Refused.' }]
}

credentialPages.get('/', async (c) => render(c, await listPage(c)))

credentialPages.post('/', async (c) => {
  const body = await c.req.parseBody()
  const typed = {
    name: typeof body.name === 'string' ? body.name : '',
    baseUrl: typeof body.baseUrl === 'string' ? body.baseUrl.trim() : '',
  }
  if (!isCredentialType(body.type)) return render(c, await listPage(c), 400)
  const data = dataFromForm(credentialForm(body.type), body)
  if ('error' in data)
    return render(c, await listPage(c, { typed, errors: [{ message: data.error }] }), 400)
  const answer = await apiCall(c, 'POST', '/api/credentials', {
    name: typed.name,
    type: body.type,
    data: data.data,
    ...(typed.baseUrl ? { baseUrl: typed.baseUrl } : {}),
  })
  if (answer.status === 201) return c.redirect('/admin/credentials?done=added', 303)
  return render(c, await listPage(c, { typed, errors: shown(answer) }), 400)
})

credentialPages.get('/:name', async (c) => {
  const credential = await credentialInfo(c.env.DB, c.req.param('name'))
  if (!credential) return notFound(c)
  const oauth = credential.type === 'oauth2' ? await oauthView(c, credential.name) : undefined
  const account = oauth?.connection.account
  const notice =
    c.req.query('connected') && oauth?.connection.status === 'connected'
      ? `Connected as ${account ?? 'the account you chose'}.`
      : NOTICES[c.req.query('done') ?? '']
  return render(
    c,
    <ReplaceCredentialPage
      credential={credential}
      form={credentialForm(credential.type)}
      oauth={oauth}
      notice={notice}
      problem={c.req.query('problem')}
    />,
  )
})

async function oauthView(c: C, name: string): Promise<OAuthView> {
  const answer = await apiCall(c, 'GET', `${pathOf(name)}/connection`)
  const redirect = redirectUriFor(c.env, c.req.url)
  return {
    connection: answer.status === 200 ? answer.body : { status: 'not_connected' },
    redirectUri: redirect.uri,
    ...(redirect.warning ? { warning: redirect.warning } : {}),
  }
}

// Connect: the API answers the provider's URL and sets the cookie that binds the sign-in to this
// browser; both go on to the browser. The browser's own cookie goes in, so a Connect started in
// another tab keeps its binding.
credentialPages.post('/:name/connect', async (c) => {
  const name = c.req.param('name')
  const headers: Record<string, string> = { authorization: `Bearer ${c.env.ADMIN_TOKEN}` }
  const cookie = c.req.header('cookie')
  if (cookie) headers.cookie = cookie
  const response = await c.var.api(
    new Request(new URL(`${pathOf(name)}/connect`, c.req.url), { method: 'POST', headers }),
    c.env,
    c.executionCtx,
  )
  const setCookie = response.headers.get('set-cookie')
  const answer = await answerOf(response)
  if (answer.status !== 200) {
    const page = `/admin/credentials/${encodeURIComponent(name)}`
    return c.redirect(`${page}?problem=${encodeURIComponent(answer.message ?? 'Refused.')}`, 303)
  }
  if (setCookie) c.header('set-cookie', setCookie)
  return render(
    c,
    <Layout title={`Connect ${name}`} signedIn>
      <ContinueToProvider name={name} authorizeUrl={answer.body.authorizeUrl} />
    </Layout>,
  )
})

credentialPages.post('/:name/disconnect', async (c) => {
  const name = c.req.param('name')
  const answer = await apiCall(c, 'DELETE', `${pathOf(name)}/connection`)
  const page = `/admin/credentials/${encodeURIComponent(name)}`
  if (answer.status !== 200)
    return c.redirect(`${page}?problem=${encodeURIComponent(answer.message ?? 'Refused.')}`, 303)
  return c.redirect(`${page}?done=${answer.body.revoked ? 'revoked' : 'disconnected'}`, 303)
})

credentialPages.post('/:name', async (c) => {
  const credential = await credentialInfo(c.env.DB, c.req.param('name'))
  if (!credential) return notFound(c)
  const body = await c.req.parseBody()
  const form = credentialForm(credential.type)
  const baseUrl = typeof body.baseUrl === 'string' ? body.baseUrl.trim() : ''
  const data = dataFromForm(form, body)
  const page = (errors: ShownError[]) => (
    <ReplaceCredentialPage
      credential={credential}
      form={form}
      errors={errors}
      typed={{ baseUrl }}
    />
  )
  if ('error' in data) return render(c, page([{ message: data.error }]), 400)
  const answer = await apiCall(c, 'PUT', pathOf(credential.name), {
    data: data.data,
    ...(baseUrl ? { baseUrl } : {}),
  })
  if (answer.status === 200) return c.redirect('/admin/credentials?done=replaced', 303)
  return render(c, page(shown(answer)), 400)
})

credentialPages.post('/:name/delete', async (c) => {
  const answer = await apiCall(c, 'DELETE', pathOf(c.req.param('name')))
  if (answer.status === 404) return notFound(c)
  if (answer.status !== 204)
    return render(
      c,
      <MessagePage title="Not deleted" message={answer.message ?? ''} signedIn />,
      400,
    )
  return c.redirect('/admin/credentials?done=deleted', 303)
})

function notFound(c: C) {
  const message = `No credential is named ${c.req.param('name')}.`
  return render(c, <MessagePage title="Not found" message={message} signedIn />, 404)
}
