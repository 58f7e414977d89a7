import { formatTime } from '../lib/format'

export function Timestamp({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>
  return (
    <time datetime={iso} title={`${iso} (UTC)`}>
      {formatTime(iso)}
    </time>
  )
}
