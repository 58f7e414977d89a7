import { Layout } from '../components/layout'

/** 404s, refusals and failures: a page, not the API's JSON, since a person is reading. */
export function MessagePage({
  title,
  message,
  signedIn = false,
}: {
  title: string
  message: string
  signedIn?: boolean
}) {
  return (
    <Layout title={title} signedIn={signedIn}>
      <section class="card">
        <div class="card-body">
          <h1>{title}</h1>
          <p class="muted">{message}</p>
          <p>
            <a href="/admin">← Back to the dashboard</a>
          </p>
        </div>
      </section>
    </Layout>
  )
}
