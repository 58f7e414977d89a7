import { Timestamp } from './timestamp'
import { WebhookUrl } from './webhook-url'

/** What GET /api/workflows/:id/notion-verification answered, or null when nothing came yet. */
export type NotionVerificationView = {
  credential: string
  receivedAt: string
  verified: boolean
  verifiedAt?: string
  verificationToken?: string
} | null

/**
 * Notion's subscription handshake for a workflow signed with the `notion` preset: Notion POSTs a
 * verification token to the webhook URL and waits for it to be pasted back into its "Verify"
 * dialog (developers.notion.com/reference/webhooks). Shown until the first signed event proves
 * Notion has it; from then on only the dates, like any stored secret.
 */
export function NotionVerificationCard(props: { verification: NotionVerificationView }) {
  const found = props.verification
  return (
    <section class="card" id="notion-verification">
      <div class="card-head">
        <h2>Notion verification</h2>
        {found?.verified ? <span class="badge badge-succeeded">verified</span> : null}
      </div>
      <div class="card-body">
        {found === null ? (
          <p class="muted">
            No token yet: in Notion's integration settings, create a webhook subscription with this
            workflow's webhook URL. Notion then sends a verification token, and it appears here.
          </p>
        ) : found.verified ? (
          <p>
            Notion signs its events with the token stored as credential{' '}
            <code>{found.credential}</code>, received <Timestamp iso={found.receivedAt} /> and
            verified by its first signed event <Timestamp iso={found.verifiedAt} /> (UTC).
          </p>
        ) : (
          <>
            <p>
              Paste this token into Notion's <strong>Verify</strong> dialog. It is stored as
              credential <code>{found.credential}</code> and checks each event's signature; it is
              hidden here once the first signed event arrives.
            </p>
            <WebhookUrl
              url={found.verificationToken ?? ''}
              label="Copy the Notion verification token"
            />
          </>
        )}
      </div>
    </section>
  )
}
