import type { Child } from 'hono/jsx'
import { CsrfField } from './csrf-field'

/** A form that is only a button: a POST that changes something, with its CSRF token. */
export function PostButton(props: {
  action: string
  fields?: Record<string, string>
  danger?: boolean
  primary?: boolean
  confirm?: string
  children?: Child
}) {
  return (
    <form method="post" action={props.action} data-confirm={props.confirm}>
      <CsrfField />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.danger ? 'danger' : props.primary ? 'primary' : undefined}>
        {props.children}
      </button>
    </form>
  )
}
