/**
 * Strings that are secrets wherever they appear, by their shape: redaction replaces them in log
 * lines and error messages, and a workflow save warns when its config holds one (it belongs in a
 * credential). Each pattern's first group is the part kept: the scheme and host of a webhook URL,
 * the word "Bearer", so a redacted line still says what was there.
 */
export type SecretPattern = {
  kind: string
  /** What a save warning calls it. */
  label: string
  pattern: RegExp
  /**
   * Whether saving a workflow warns about it. Not for the shapes no credential type can hold
   * (a query parameter, our own webhook URL): the warning's advice would lead nowhere.
   */
  warnOnSave: boolean
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'slack-webhook',
    label: 'a Slack webhook URL',
    // hooks.slack.com/services/T…/B…/…, and the same path on any host (a proxy, a baseUrl).
    pattern:
      /((?:hooks\.slack\.com\/(?:services|workflows|triggers)\/)|(?:\/services\/(?=T[A-Z0-9]+\/B[A-Z0-9]+\/)))[^\s"'<>?#()[\]{},;]+/gi,
    warnOnSave: true,
  },
  {
    kind: 'discord-webhook',
    label: 'a Discord webhook URL',
    pattern: /(\/api(?:\/v\d+)?\/webhooks\/\d+\/)[\w-]+/gi,
    warnOnSave: true,
  },
  {
    kind: 'telegram-bot',
    label: 'a Telegram bot token',
    pattern: /(\/bot)\d+:[\w-]+/gi,
    warnOnSave: true,
  },
  {
    kind: 'bearer',
    label: 'a bearer token',
    // 16+ characters with a digit or a capital: a token, not the words of "Bearer authentication".
    pattern: /(\b(?:Bearer|bearer|BEARER)\s+)(?!\{\{)(?=[\w\-.~+/]*[0-9A-Z])[\w\-.~+/]{16,}=*/g,
    warnOnSave: true,
  },
  {
    kind: 'api-key',
    label: 'an API key (sk-…)',
    pattern: /()\bsk-[\w-]{16,}/g,
    warnOnSave: true,
  },
  {
    kind: 'slack-token',
    label: 'a Slack token (xoxb-/xoxp-…)',
    pattern: /()\bxox[abposre]-[\w-]{10,}/g,
    warnOnSave: true,
  },
  {
    kind: 'github-token',
    label: 'a GitHub token (ghp_/github_pat_…)',
    pattern: /()\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})/g,
    warnOnSave: true,
  },
  {
    kind: 'automateos-api-token',
    label: 'an AutomateOS API token (aos_…)',
    // POST /api/tokens: 32 random bytes, base64url.
    pattern: /()\baos_[\w-]{40,}/g,
    warnOnSave: true,
  },
  {
    kind: 'webhook-url-token',
    label: 'an AutomateOS webhook or resume URL',
    // Our own /hooks/<workflow>/<token> and /hooks/resume/<run>/<node>/<token>: the token is the
    // URL's only auth.
    pattern: /(\/hooks\/(?:resume\/[\w-]+\/[\w-]+|(?!resume\/)[\w-]+)\/)[\w-]{8,}/g,
    warnOnSave: false,
  },
  {
    kind: 'secret-query',
    label: 'a secret in a URL query',
    pattern:
      /([?&][^=&\s"'<>#]*(?:auth|token|secret|key|signature|password|passwd|session|credential)[^=&\s"'<>#]*=)[^&\s"'<>#]+/gi,
    warnOnSave: false,
  },
]
