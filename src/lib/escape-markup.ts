// Each app's own escaping of plain text put into its markup: templates apply them to filled-in
// values (src/templates/fill.ts), and users call them by hand as $escapeSlack() and the rest
// (src/lib/jsonata.ts).

export type Escaper = (text: string) => string

/**
 * Slack mrkdwn: &, < and > are its control characters, and only those three are decoded, so
 * nothing else may be encoded (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export const escapeSlack: Escaper = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Telegram HTML: <, > and & outside tags and entities must be entities; &quot; is one of the four
 * named entities Telegram knows, so a value is safe inside an attribute too
 * (https://core.telegram.org/bots/api#html-style).
 */
export const escapeHtml: Escaper = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Telegram MarkdownV2: _ * [ ] ( ) ~ ` > # + - = | { } . ! must be escaped with '\' outside
 * entities, and '\' itself; any character up to 126 may be escaped anywhere, inside code too
 * (https://core.telegram.org/bots/api#markdownv2-style).
 */
export const escapeMarkdownV2: Escaper = (text) => text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&')

/**
 * Telegram's legacy Markdown: only _ * ` [ are escaped, with '\', outside entities
 * (https://core.telegram.org/bots/api#markdown-style).
 */
export const escapeMarkdown: Escaper = (text) => text.replace(/[_*`[]/g, '\\$&')

/**
 * Discord markdown: a backslash before any ASCII punctuation shows it as written (Discord's parser,
 * simple-markdown, escapes /^\\([^0-9A-Za-z\s])/), which covers *bold*, _italics_, ~~strike~~,
 * `code`, ||spoilers||, > quotes, # headers, - lists, [masked](links) and <@mentions>, <#channels>,
 * <t:timestamps> (https://support.discord.com/hc/en-us/articles/210298617). A bare URL is left as it
 * is: Discord links it before any markdown applies, and a backslash would break the link.
 */
export const escapeDiscord: Escaper = (text) =>
  text
    .split(/(https?:\/\/[^\s<>]+)/)
    .map((part, i) => (i % 2 ? part : part.replace(/[\\*_~`|>#\-[\]()<]/g, '\\$&')))
    .join('')
