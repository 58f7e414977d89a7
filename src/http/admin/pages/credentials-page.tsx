import type { CredentialInfo } from '../../../credentials/store'
import { Notice } from '../components/error-box'
import { CREDENTIAL_TYPES, type CredentialType } from '../../../credentials/types'
import type { CredentialForm } from '../lib/credential-form'
import { CsrfField } from '../components/csrf-field'
import { ErrorList, type ShownError } from '../components/field-errors'
import { Layout } from '../components/layout'
import { PostButton } from '../components/post-button'
import { Timestamp } from '../components/timestamp'
import { OAuthCard, type OAuthView } from '../components/oauth-card'

type CredentialsPageProps = {
  credentials: CredentialInfo[]
  /** The add form for this type, when one was picked. */
  form?: CredentialForm
  /** Name and base URL as typed, after a refusal. Secret fields are never sent back. */
  typed?: { name?: string; baseUrl?: string }
  errors?: ShownError[]
  notice?: string
  /** What a refused OAuth callback said, when it could not name the credential. */
  problem?: string
  /** For the oauth2 form: the redirect URI to register, and a warning about the host. */
  redirect?: { uri: string; warning?: string }
  encryptionKeySet: boolean
}

export function CredentialsPage(props: CredentialsPageProps) {
  const { credentials, form, errors = [] } = props
  return (
    <Layout title="Credentials" signedIn>
      <div class="page-head">
        <div>
          <h1>Credentials</h1>
          <p class="muted small">
            Stored encrypted under ENCRYPTION_KEY. Values are write-only: they are never shown
            again, here or in the API. A node names one in <code>config.credential</code>.
          </p>
        </div>
      </div>
      <Notice text={props.notice} />
      {props.problem ? (
        <div class="error-box" role="alert">
          {props.problem}
        </div>
      ) : null}
      {props.encryptionKeySet ? null : (
        <div class="error-box" role="alert">
          ENCRYPTION_KEY is not set on this Worker, so no credential can be stored. Locally,{' '}
          <code>npm start</code> writes one to <code>.dev.vars</code>; in production run{' '}
          <code>wrangler secret put ENCRYPTION_KEY</code>.
        </div>
      )}
      <section class="card">
        {credentials.length === 0 ? (
          <p class="empty">No credentials yet.</p>
        ) : (
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th class="hide-sm">Base URL</th>
                  <th>Updated (UTC)</th>
                  <th>
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {credentials.map((cred) => (
                  <tr id={`credential-${cred.name}`}>
                    <td>
                      <code>{cred.name}</code>
                    </td>
                    <td>
                      {cred.type}
                      {cred.connection ? (
                        <span
                          class={
                            cred.connection.status === 'needs_reconnect'
                              ? 'badge badge-failed'
                              : 'muted small'
                          }
                        >
                          {' '}
                          {cred.connection.status.replace('_', ' ')}
                        </span>
                      ) : null}
                    </td>
                    <td class="hide-sm muted">{cred.baseUrl ?? 'official API'}</td>
                    <td class="nowrap">
                      <Timestamp iso={new Date(cred.updatedAt).toISOString()} />
                    </td>
                    <td>
                      <div class="actions">
                        <a
                          class="button"
                          href={`/admin/credentials/${encodeURIComponent(cred.name)}`}
                        >
                          {cred.connection ? 'Open' : 'Replace'}
                        </a>
                        <PostButton
                          action={`/admin/credentials/${encodeURIComponent(cred.name)}/delete`}
                          danger
                          confirm={`Delete ${cred.name}? Steps that name it will fail.`}
                        >
                          Delete
                        </PostButton>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" id="add">
        <div class="card-head">
          <h2>Add a credential</h2>
        </div>
        <div class="card-body">
          {/* Choosing the type is a GET: the form for it comes back without any script. */}
          <form method="get" action="/admin/credentials#add" class="filter-form">
            <label>
              Type
              <select name="type">
                {CREDENTIAL_TYPES.map((type) => (
                  <option value={type} selected={type === form?.type}>
                    {type}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{form ? 'Change type' : 'Show the form'}</button>
          </form>
          {form && props.redirect ? (
            <p class="small">
              Register this redirect URI with your app at the provider, save, then press Connect on
              the credential: <code>{props.redirect.uri}</code>
              {props.redirect.warning ? (
                <span class="warn-box" role="note">
                  {' '}
                  {props.redirect.warning}
                </span>
              ) : null}
            </p>
          ) : null}
          {form ? (
            <CredentialFields
              form={form}
              action="/admin/credentials"
              errors={errors}
              typed={props.typed}
              submit="Add credential"
            />
          ) : null}
        </div>
      </section>
    </Layout>
  )
}

export function ReplaceCredentialPage(props: {
  credential: CredentialInfo
  form: CredentialForm
  errors?: ShownError[]
  typed?: { baseUrl?: string }
  /** An oauth2 credential's connection, with what the callback just said. */
  oauth?: OAuthView
  notice?: string
  problem?: string
}) {
  const { credential, form } = props
  return (
    <Layout title={`Replace ${credential.name}`} signedIn>
      <div class="page-head">
        <div>
          <h1>
            Replace <code>{credential.name}</code>
          </h1>
          <p class="muted small">
            {credential.type} · the stored values are not shown; enter the new ones.{' '}
            <a href="/admin/credentials">Back to credentials</a>
          </p>
        </div>
      </div>
      <Notice text={props.notice} />
      {props.problem ? (
        <div class="error-box" role="alert">
          {props.problem}
        </div>
      ) : null}
      {props.oauth ? <OAuthCard name={credential.name} view={props.oauth} /> : null}
      <section class="card">
        <div class="card-body">
          {props.oauth ? (
            <p class="small muted">
              Replacing the app's values forgets the connection: press Connect again after.
            </p>
          ) : null}
          <CredentialFields
            form={form}
            action={`/admin/credentials/${encodeURIComponent(credential.name)}`}
            errors={props.errors ?? []}
            typed={props.typed ?? { baseUrl: credential.baseUrl }}
            submit="Replace values"
            fixedName={credential.name}
          />
        </div>
      </section>
    </Layout>
  )
}

function CredentialFields(props: {
  form: CredentialForm
  action: string
  errors: ShownError[]
  typed?: { name?: string; baseUrl?: string }
  submit: string
  fixedName?: string
}) {
  const { form, errors, typed = {} } = props
  const invalid = new Set(errors.map((e) => e.path))
  const described = (path: string) => (invalid.has(path) ? 'credential-errors' : undefined)
  return (
    <form method="post" action={props.action} autocomplete="off">
      <CsrfField />
      <input type="hidden" name="type" value={form.type} />
      <ErrorList errors={errors} id="credential-errors" title="Not saved:" />
      {props.fixedName ? null : (
        <div class="field">
          <label for="cred-name">Name</label>
          <input
            id="cred-name"
            name="name"
            type="text"
            required
            value={typed.name ?? ''}
            pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}"
            aria-invalid={invalid.has('name') ? 'true' : undefined}
            aria-describedby={described('name') ?? 'cred-name-hint'}
          />
          <p class="hint" id="cred-name-hint">
            What nodes call it by, e.g. <code>team-{form.type.split('-')[0]}</code>.
          </p>
        </div>
      )}
      {form.description ? <p class="small muted">{form.description}</p> : null}
      {form.fields.map((field) => {
        const id = `cred-${field.name}`
        const path = `data.${field.name}`
        const common = {
          id,
          name: path,
          required: field.required && !form.acceptsJson,
          'aria-invalid': invalid.has(path) ? 'true' : undefined,
          'aria-describedby': described(path) ?? (field.description ? `${id}-hint` : undefined),
        }
        return (
          <div class="field">
            <label for={id}>
              {field.label}
              {field.required ? null : <span class="muted"> (optional)</span>}
            </label>
            {field.widget === 'textarea' ? (
              <textarea {...common} class="code payload" spellcheck={false} />
            ) : (
              <input
                {...common}
                type={field.widget}
                placeholder={field.placeholder}
                autocomplete={field.widget === 'password' ? 'new-password' : 'off'}
              />
            )}
            {field.description ? (
              <p class="hint" id={`${id}-hint`}>
                {field.description}
              </p>
            ) : null}
          </div>
        )
      })}
      {form.acceptsJson ? (
        <div class="field">
          <label for="cred-json">Or paste the whole JSON document</label>
          <textarea id="cred-json" name="dataJson" class="code payload" spellcheck={false} />
          <p class="hint">When filled in, it is used instead of the fields above.</p>
        </div>
      ) : null}
      <div class="field">
        <label for="cred-base-url">
          Base URL <span class="muted">(optional)</span>
        </label>
        <input
          id="cred-base-url"
          name="baseUrl"
          type="url"
          value={typed.baseUrl ?? ''}
          placeholder="the app's official API"
          aria-invalid={invalid.has('baseUrl') ? 'true' : undefined}
          aria-describedby={described('baseUrl')}
        />
        <p class="hint">Replaces the app's API address, e.g. a proxy or a test server.</p>
      </div>
      <button type="submit" class="primary">
        {props.submit}
      </button>
    </form>
  )
}
