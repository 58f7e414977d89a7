import type { MemoryKeyView } from '../../../store/memory-keys'
import { PostButton } from './post-button'
import { Timestamp } from './timestamp'

/**
 * The workflow's memory between runs (memory-set, memory-increment, dedupe): each live key with
 * the start of its value, and a delete button; deleting goes through the API like every form.
 */
export function MemoryCard(props: { path: string; keys: MemoryKeyView[]; more: boolean }) {
  const { path, keys } = props
  return (
    <section class="card" id="memory">
      <div class="card-head">
        <h2>Memory</h2>
        <span class="muted small">
          {keys.length === 0
            ? 'kept between runs by memory and dedupe nodes'
            : `${keys.length}${props.more ? '+' : ''} ${keys.length === 1 ? 'key' : 'keys'}`}
        </span>
      </div>
      {keys.length === 0 ? (
        <p class="empty">Nothing remembered: no memory-set, memory-increment or dedupe has run.</p>
      ) : (
        <div class="table-scroll">
          <table class="stack">
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
                <th>Updated (UTC)</th>
                <th>Expires (UTC)</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((entry) => (
                <tr>
                  <td>
                    <code>{entry.key}</code>
                  </td>
                  <td>
                    <code>{entry.preview}</code>
                    {entry.preview.length < entry.size ? '…' : ''}{' '}
                    <span class="muted small">{entry.size} B</span>
                  </td>
                  <td class="nowrap">
                    <Timestamp iso={new Date(entry.updatedAt).toISOString()} />
                  </td>
                  <td class="nowrap">
                    {entry.expiresAt === null ? (
                      <span class="muted">never</span>
                    ) : (
                      <Timestamp iso={new Date(entry.expiresAt).toISOString()} />
                    )}
                  </td>
                  <td>
                    <PostButton
                      action={`${path}/memory/delete`}
                      fields={{ key: entry.key }}
                      danger
                      confirm={`Forget ${entry.key}?`}
                    >
                      Delete
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keys.length > 0 ? (
        <div class="card-body">
          <PostButton
            action={`${path}/memory/clear`}
            danger
            confirm="Forget every key of this workflow's memory?"
          >
            Clear memory
          </PostButton>
        </div>
      ) : null}
    </section>
  )
}
