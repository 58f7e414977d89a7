import type { PollRow } from '../../../store/polls'
import { PostButton } from './post-button'
import { Timestamp } from './timestamp'

/** The cursor as the card shows it: JSON, cut where it would fill the page. */
const CURSOR_SHOWN = 300

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * A poll trigger's state (src/store/polls.ts): where its cursor stands, the last poll and what it
 * found, the next poll, and a failure streak; "Poll now" and "Reset baseline" go through the API.
 */
export function PollCard(props: { path: string; poll: PollRow }) {
  const { path, poll } = props
  const cursor = poll.cursor === null ? null : poll.cursor
  const error = poll.last_error ? (JSON.parse(poll.last_error) as { message: string }) : null
  return (
    <section class="card" id="poll">
      <div class="card-head">
        <h2>Polling</h2>
        <span class="muted small">
          {poll.source} · every {Math.round(poll.every_ms / 60_000)} min
        </span>
      </div>
      <div class="card-body">
        <dl class="facts">
          <dt>Cursor</dt>
          <dd>
            {cursor === null ? (
              <span class="muted">no baseline yet: the next poll records it</span>
            ) : (
              <code>
                {cursor.slice(0, CURSOR_SHOWN)}
                {cursor.length > CURSOR_SHOWN ? '…' : ''}
              </code>
            )}
          </dd>
          <dt>Last poll (UTC)</dt>
          <dd>
            {poll.last_poll_at === null ? (
              <span class="muted">never</span>
            ) : (
              <Timestamp iso={iso(poll.last_poll_at)} />
            )}
          </dd>
          <dt>Items found</dt>
          <dd>
            {poll.last_found === null
              ? '—'
              : `${poll.last_found} new, ${poll.last_started ?? 0} started`}
          </dd>
          <dt>Next poll (UTC)</dt>
          <dd>
            <Timestamp iso={iso(poll.next_poll_at)} />
          </dd>
          {poll.failures > 0 ? (
            <>
              <dt>Failing</dt>
              <dd>
                {poll.failures} {poll.failures === 1 ? 'poll' : 'polls'} in a row
                {error ? `: ${error.message}` : ''}
                {poll.failed_run_id ? (
                  <>
                    {' '}
                    (
                    <a href={`/admin/runs/${encodeURIComponent(poll.failed_run_id)}`}>
                      in the inbox
                    </a>
                    )
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
        </dl>
        <div class="actions">
          <PostButton action={`${path}/poll`} primary>
            Poll now
          </PostButton>
          <PostButton
            action={`${path}/poll/reset`}
            confirm="Start again from now? What is there now counts as seen; nothing is started for it."
          >
            Reset baseline
          </PostButton>
        </div>
      </div>
    </section>
  )
}
