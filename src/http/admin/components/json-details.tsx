import { prettyJson } from '../lib/format'
import { isSmall } from '../lib/run-view'

/** A payload, pretty-printed and wrapped; open by default when it is short enough to skim. */
export function JsonDetails(props: { label: string; value: unknown; id?: string; open?: boolean }) {
  const { label, value, id } = props
  const text = prettyJson(value)
  return (
    <details open={props.open ?? isSmall(text)} id={id}>
      <summary>{label}</summary>
      <pre>{text}</pre>
    </details>
  )
}
