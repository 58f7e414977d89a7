/**
 * One click selects the whole URL (user-select: all), so it copies without a script; with the
 * script a Copy button sits beside it.
 */
export function WebhookUrl({
  url,
  label = 'Copy the webhook URL',
}: {
  url: string
  label?: string
}) {
  return (
    <div class="copy-row">
      <code
        class="copy"
        title="Click to select, then copy"
        data-copy="Copy"
        data-copy-label={label}
      >
        {url}
      </code>
    </div>
  )
}
