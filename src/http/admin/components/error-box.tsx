export type ErrorInfo = { message?: string; code?: string; details?: unknown }

// A run that finished with errors under onError: continue is a warning, not a failure; a skipped
// step's "error" is only the reason it was passed over.
export type Tone = 'error' | 'warn' | 'note'

export function ErrorBox({ error, tone = 'error' }: { error: ErrorInfo; tone?: Tone }) {
  return (
    <div class={`${tone}-box`} role={tone === 'error' ? 'alert' : undefined}>
      {error.code && tone !== 'note' ? <strong>{error.code}: </strong> : null}
      {error.message ?? 'Unknown error'}
    </div>
  )
}

/** What the form just sent did (a redirect's notice), said once at the top of the page. */
export function Notice({ text }: { text?: string | null }) {
  return text ? (
    <div class="ok-box" role="status">
      {text}
    </div>
  ) : null
}
