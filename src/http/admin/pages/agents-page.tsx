import type { ApiToken } from '../../../store/api-tokens'
import { SCOPES } from '../../../store/api-tokens'
import { Notice } from '../components/error-box'
import { CsrfField } from '../components/csrf-field'
import { ErrorList, type ShownError } from '../components/field-errors'
import { Layout } from '../components/layout'
import { PostButton } from '../components/post-button'
import { Timestamp } from '../components/timestamp'
import { WebhookUrl } from '../components/webhook-url'

export type ToolWorkflow = { id: string; name: string; tool: string; enabled: boolean }

type AgentsPageProps = {
  mcpUrl: string
  tools: ToolWorkflow[]
  workflows: { id: string; name: string }[]
  tokens: ApiToken[]
  /** A token just made: shown this once, and filled into the setup snippets. */
  created?: { name: string; token: string }
  errors?: ShownError[]
  notice?: string
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())

/** The setup for common MCP clients, with the URL and the Authorization header. */
export function setupSnippets(mcpUrl: string, token: string) {
  const header = `Authorization: Bearer ${token}`
  return {
    // Cursor (.cursor/mcp.json), Claude Code (.mcp.json) and most clients that speak HTTP.
    http: JSON.stringify(
      {
        mcpServers: { automateos: { url: mcpUrl, headers: { Authorization: `Bearer ${token}` } } },
      },
      null,
      2,
    ),
    // Claude Desktop's config file starts local servers: mcp-remote bridges to the URL.
    claudeDesktop: JSON.stringify(
      {
        mcpServers: {
          automateos: { command: 'npx', args: ['-y', 'mcp-remote', mcpUrl, '--header', header] },
        },
      },
      null,
      2,
    ),
    claudeCode: `claude mcp add --transport http automateos ${mcpUrl} --header "${header}"`,
  }
}

export function AgentsPage(props: AgentsPageProps) {
  const { tokens, tools, errors = [] } = props
  const snippets = setupSnippets(props.mcpUrl, props.created?.token ?? '<your API token>')
  return (
    <Layout title="AI agents" signedIn>
      <div class="page-head">
        <div>
          <h1>AI agents</h1>
          <p class="muted small">
            Agents and chat apps call workflows as tools over MCP. Each connects with an API token
            whose scopes say what it may do: <code>read</code> (workflows, runs, nodes),{' '}
            <code>run</code> (start, replay, resume), <code>write</code> (save workflows),{' '}
            <code>admin</code> (everything).
          </p>
        </div>
      </div>
      <Notice text={props.notice} />
      {props.created ? (
        <section class="card" id="new-token">
          <div class="card-head">
            <h2>Token {props.created.name}</h2>
          </div>
          <div class="card-body">
            <p>Copy it now: it is stored only as a hash and will not be shown again.</p>
            <WebhookUrl url={props.created.token} label="Copy the token" />
          </div>
        </section>
      ) : null}
      <section class="card">
        <div class="card-head">
          <h2>MCP server</h2>
        </div>
        <div class="card-body">
          <WebhookUrl url={props.mcpUrl} label="Copy the MCP URL" />
          <h3>Claude Code</h3>
          <pre>
            <code>{snippets.claudeCode}</code>
          </pre>
          <h3>Cursor, Claude Code's .mcp.json, other HTTP clients</h3>
          <pre>
            <code>{snippets.http}</code>
          </pre>
          <h3>Claude Desktop (claude_desktop_config.json)</h3>
          <pre>
            <code>{snippets.claudeDesktop}</code>
          </pre>
        </div>
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Workflows as tools</h2>
        </div>
        {tools.length === 0 ? (
          <p class="empty">
            No workflow is a tool yet: add{' '}
            <code>"mcp": {'{ "tool", "description", "input" }'}</code> to its definition.
          </p>
        ) : (
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th>Tool</th>
                  <th>Workflow</th>
                  <th>Listed</th>
                </tr>
              </thead>
              <tbody>
                {tools.map((t) => (
                  <tr>
                    <td>
                      <code>{t.tool}</code>
                    </td>
                    <td>
                      <a href={`/admin/workflows/${encodeURIComponent(t.id)}`}>{t.name}</a>
                    </td>
                    <td>{t.enabled ? 'yes' : 'no (disabled)'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" id="tokens">
        <div class="card-head">
          <h2>API tokens</h2>
        </div>
        {tokens.length === 0 ? (
          <p class="empty">No API tokens yet.</p>
        ) : (
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Scopes</th>
                  <th class="hide-sm">Workflows</th>
                  <th>Created (UTC)</th>
                  <th>Last used</th>
                  <th>Expires</th>
                  <th>
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr id={`token-${token.id}`}>
                    <td>{token.name}</td>
                    <td>{token.scopes.join(', ')}</td>
                    <td class="hide-sm">{token.workflows ? token.workflows.join(', ') : 'all'}</td>
                    <td class="nowrap">
                      <Timestamp iso={iso(token.createdAt)} />
                    </td>
                    <td class="nowrap">
                      <Timestamp iso={iso(token.lastUsedAt)} />
                    </td>
                    <td class="nowrap">
                      {token.expiresAt ? <Timestamp iso={iso(token.expiresAt)} /> : 'never'}
                    </td>
                    <td>
                      <PostButton
                        action={`/admin/agents/tokens/${encodeURIComponent(token.id)}/revoke`}
                        danger
                        confirm={`Revoke ${token.name}? Agents using it get 401 from now on.`}
                      >
                        Revoke
                      </PostButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="card-body">
          <h3>Create a token</h3>
          <ErrorList errors={errors} id="token-errors" title="The token was not created" />
          <form method="post" action="/admin/agents/tokens">
            <CsrfField />
            <label>
              Name
              <input name="name" required maxlength={100} />
            </label>
            <fieldset>
              <legend>Scopes</legend>
              {SCOPES.map((scope) => (
                <label>
                  <input type="checkbox" name="scopes" value={scope} checked={scope === 'read'} />{' '}
                  {scope}
                </label>
              ))}
            </fieldset>
            <label>
              Expires in days (empty: never)
              <input name="expiresInDays" type="number" min={1} max={3650} />
            </label>
            <label>
              Only these workflows (none selected: all)
              <select name="workflows" multiple>
                {props.workflows.map((w) => (
                  <option value={w.id}>{w.name}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="primary">
              Create token
            </button>
          </form>
        </div>
      </section>
    </Layout>
  )
}
