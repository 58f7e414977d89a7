import { Layout } from '../components/layout'

type LoginPageProps = {
  error?: string
  /** Where to go once signed in: the page that asked for the login. */
  next?: string
  configured: boolean
}

export function LoginPage({ error, next, configured }: LoginPageProps) {
  return (
    <Layout title="Sign in">
      <section class="card login">
        <div class="card-body">
          <h1>Sign in</h1>
          <p class="muted">Enter the admin token of this AutomateOS.</p>
          {configured ? null : (
            <div class="error-box">
              ADMIN_TOKEN is not set on this Worker. Locally, <code>npm start</code> writes one to{' '}
              <code>.dev.vars</code>; in production run <code>wrangler secret put ADMIN_TOKEN</code>
              .
            </div>
          )}
          {error ? (
            <div class="error-box" role="alert">
              {error}
            </div>
          ) : null}
          <form method="post" action="/admin/login">
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              autofocus
            />
            {next ? <input type="hidden" name="next" value={next} /> : null}
            <button class="primary" type="submit">
              Sign in
            </button>
          </form>
        </div>
      </section>
    </Layout>
  )
}
