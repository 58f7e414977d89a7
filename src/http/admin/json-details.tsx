import { prettyJson } from './format'

export function JsonDetails({
  label,
  value,
  open = false,
}: {
  label: string
  value: unknown
  open?: boolean
}) {
  return (
    <details open={open}>
      <summary>{label}</summary>
      <pre>{prettyJson(value)}</pre>
    </details>
  )
}
