import { z } from '@hono/zod-openapi'
import { readCredential } from '../../credentials/read-credential'
import { AutomateError } from '../../errors'
import { readNotionVerification } from '../../store/notion-verifications'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

// The one credential value the API ever shows, and only until it is proven: the token Notion
// POSTed to a workflow's webhook URL, which the user must paste back into Notion (developers.
// notion.com/reference/webhooks, "Step 2 - Verifying the subscription"). Once an event signed
// with it has arrived, Notion has it, and it is hidden like any credential. Mounted under
// /api/workflows.
export const notionVerificationApi = apiRouter()

const route = apiRoute({
  method: 'get',
  path: '/{id}/notion-verification',
  summary: "Read the verification token Notion sent to a workflow's webhook",
  description:
    'For a trigger with `"signature": { "preset": "notion", "secret": "<name>" }`: Notion POSTs ' +
    'a one-time `verification_token` when a subscription is created; AutomateOS stores it as ' +
    'the webhook-secret credential `<name>` (unless a secret of that name exists) and starts no ' +
    'run. This shows the token to paste into Notion ("Verify"), until the first event signed ' +
    'with it arrives; from then on only when it was received and verified.',
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: {
    200: jsonResponse(
      'The handshake: the token while unverified',
      z
        .object({
          credential: z.string(),
          receivedAt: z.iso.datetime(),
          verified: z.boolean(),
          verifiedAt: z.iso.datetime().optional(),
          verificationToken: z.string().optional().meta({ description: 'only while unverified' }),
        })
        .meta({ id: 'NotionVerification' }),
    ),
    404: errorResponse('No verification token was received for this workflow'),
  },
})

notionVerificationApi.openapi(route, async (c) => {
  const { id } = c.req.valid('param')
  const found = await readNotionVerification(c.env.DB, id)
  if (!found) {
    throw new AutomateError(
      'NOT_FOUND',
      `Workflow ${id} has received no Notion verification token; create the subscription in ` +
        "Notion with this workflow's webhook URL",
      { status: 404 },
    )
  }
  const shown = {
    credential: found.credential,
    receivedAt: new Date(found.receivedAt).toISOString(),
  }
  if (found.verifiedAt !== null) {
    const verifiedAt = new Date(found.verifiedAt).toISOString()
    return c.json({ ...shown, verified: true, verifiedAt }, 200)
  }
  const token = (await readCredential(c.env, found.credential, 'webhook-secret')).data.secret
  return c.json({ ...shown, verified: false, verificationToken: token }, 200)
})
