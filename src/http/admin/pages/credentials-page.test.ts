import { describe, expect, it } from 'vitest'
import { admin } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'

describe('credentials pages', () => {
  it('offers a form per type from its schema', async () => {
    const session = await signedIn()
    const basic = await session.page('/admin/credentials?type=http-basic')
    expect(basic.html).toContain('<option value="http-basic" selected="">http-basic</option>')
    expect(basic.html).toMatch(
      /<input id="cred-username" name="data.username" required="" type="text"/,
    )
    expect(basic.html).toMatch(
      /<input id="cred-password" name="data.password" required="" type="password"/,
    )
    const notion = await session.page('/admin/credentials?type=notion')
    expect(notion.html).toContain('The internal integration secret (ntn_…)')
    const google = await session.page('/admin/credentials?type=google-service-account')
    expect(google.html).toContain('<textarea id="cred-private_key" name="data.private_key"')
    expect(google.html).toContain('<label for="cred-json">Or paste the whole JSON document</label>')
    const none = await session.page('/admin/credentials')
    expect(none.html).not.toContain('name="data.')
  })

  it('adds a credential and lists it without its value; replaces and deletes it', async () => {
    const session = await signedIn()
    const secret = 'ntn_page_secret_0123456789'
    const added = await session.post('/admin/credentials', {
      type: 'notion',
      name: 'page-notion',
      'data.token': secret,
    })
    expect(added.status).toBe(303)
    const list = await session.page(added.location!)
    expect(list.html).toContain('Added. Its values are stored encrypted')
    expect(list.html).toMatch(
      /<tr id="credential-page-notion"><td><code>page-notion<\/code><\/td><td>notion<\/td>/,
    )
    expect(list.html).not.toContain(secret)

    const replacePage = await session.page('/admin/credentials/page-notion')
    expect(replacePage.html).toContain('name="data.token"')
    expect(replacePage.html).not.toContain(secret)
    const replaced = await session.post('/admin/credentials/page-notion', {
      'data.token': 'ntn_new_value',
      baseUrl: 'http://notion.upstream.test',
    })
    expect(replaced.location).toBe('/admin/credentials?done=replaced')
    const info = (await (await admin('/api/credentials/page-notion')).json()) as { baseUrl: string }
    expect(info.baseUrl).toBe('http://notion.upstream.test')

    const deleted = await session.post('/admin/credentials/page-notion/delete')
    expect(deleted.location).toBe('/admin/credentials?done=deleted')
    expect((await admin('/api/credentials/page-notion')).status).toBe(404)
  })

  it('shows a refusal at the field path, keeps the name, and never echoes a value', async () => {
    const session = await signedIn()
    const refused = await session.post('/admin/credentials', {
      type: 'http-header',
      name: 'bad header',
      'data.name': 'Not A Header:',
      'data.value': 'typed-secret-value',
    })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('<code>name</code>')
    expect(refused.html).toContain('<code>data.name</code>')
    expect(refused.html).toContain('must be an HTTP header name')
    expect(refused.html).toContain('value="bad header"')
    expect(refused.html).not.toContain('typed-secret-value')
    expect(refused.html).toMatch(/<input id="cred-name" name="data.name"[^>]*aria-invalid="true"/)
  })

  it('takes a pasted Google key file as the data', async () => {
    const session = await signedIn()
    const keyFile = {
      type: 'service_account',
      client_email: 'bot@project.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    }
    const added = await session.post('/admin/credentials', {
      type: 'google-service-account',
      name: 'sheets',
      dataJson: JSON.stringify(keyFile),
    })
    expect(added.status).toBe(303)
    const bad = await session.post('/admin/credentials', {
      type: 'google-service-account',
      name: 'sheets-2',
      dataJson: '{ not json',
    })
    expect(bad.status).toBe(400)
    expect(bad.html).toContain('The pasted JSON is not valid')
  })
})
