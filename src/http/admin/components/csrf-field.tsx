import { usePage } from './page-context'

export const CSRF_FIELD = '_csrf'

/** The form token (checked by routes/csrf-guard.tsx) as a hidden field of a signed-in form. */
export function CsrfField() {
  return <input type="hidden" name={CSRF_FIELD} value={usePage().csrf} />
}
