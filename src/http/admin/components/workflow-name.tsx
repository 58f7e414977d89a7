import type { WorkflowLabel } from '../../../store/admin-queries'

/** A link while the workflow exists; a deleted one keeps its name, marked, for its old runs. */
export function WorkflowName({ id, label }: { id: string; label: WorkflowLabel | undefined }) {
  if (!label) return <code>{id}</code>
  if (!label.exists)
    return (
      <span>
        {label.name} <span class="muted small">(deleted)</span>
      </span>
    )
  return <a href={`/admin/workflows/${encodeURIComponent(id)}`}>{label.name}</a>
}
