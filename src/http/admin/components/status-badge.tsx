import { RUN_STATUSES } from '../../../store/runs'
import { statusLabel } from '../lib/format'

// Step statuses too; anything else gets the neutral look rather than an invented class name.
const KNOWN = new Set<string>([...RUN_STATUSES, 'skipped'])

export function StatusBadge({ status }: { status: string }) {
  const tone = KNOWN.has(status) ? status : 'unknown'
  return <span class={`badge badge-${tone}`}>{statusLabel(status)}</span>
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return (
    <span class={`badge ${enabled ? 'badge-on' : 'badge-off'}`}>
      {enabled ? 'enabled' : 'disabled'}
    </span>
  )
}
