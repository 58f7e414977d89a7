import { PostButton } from './post-button'
import { Timestamp } from './timestamp'

/** The banner's look, added to the page's styles (styles.ts). */
export const DRAFT_STYLES = `
.draft-box {
  display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; justify-content: space-between;
  border-radius: 8px; padding: 10px 12px; margin: 10px 0 20px;
  background: var(--info-bg); color: var(--info); border-left: 4px solid var(--info);
}
.draft-box p { margin: 0; flex: 1 1 320px; min-width: 0; overflow-wrap: anywhere; }
.draft-box .actions { flex: 0 1 auto; min-width: 0; }
.badge-draft { background: var(--info-bg); color: var(--info); }
`

/**
 * Says that the workflow has a draft that nothing runs yet, and offers to publish it, to edit it
 * (the editor opens on it) or to throw it away. Publishing and discarding are POST forms, so
 * they work without scripts.
 */
export function DraftBanner(props: { workflowId: string; savedAt: number; liveVersion: number }) {
  const path = `/admin/workflows/${encodeURIComponent(props.workflowId)}`
  const saved = new Date(props.savedAt).toISOString()
  return (
    <section class="draft-box" aria-labelledby="draft-title">
      <p>
        <strong id="draft-title">Unpublished draft</strong> saved <Timestamp iso={saved} /> UTC.
        Webhooks, schedules and Run now keep running {`version\u00a0${props.liveVersion}`} until it
        is published.
      </p>
      <div class="actions">
        <a class="button" href={`${path}/diff?to=draft`}>
          See changes
        </a>
        <a class="button" href={`${path}/edit`}>
          Edit draft
        </a>
        <PostButton action={`${path}/publish`} primary>
          Publish
        </PostButton>
        <PostButton
          action={`${path}/discard-draft`}
          confirm={`Discard the draft? Version ${props.liveVersion} stays live; the draft cannot be restored.`}
        >
          Discard draft
        </PostButton>
      </div>
    </section>
  )
}
