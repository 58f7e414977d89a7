// One click selects the whole URL (user-select: all), so it copies without a script.
export function WebhookUrl({ url }: { url: string }) {
  return (
    <code class="copy" title="Click to select, then copy">
      {url}
    </code>
  )
}
