import { fieldId, h } from './dom'
import { type Schema, emptyValue, kindOf, resolve, variantLabel, variantOf } from './json-schema'
import type { Builder } from './model'
import { type Path, dotted, getAt, setAt } from './paths'

type FieldOptions = { label: string; required: boolean }

// Free text that reads better in a box of several lines.
const LONG_TEXT =
  /^(content|text|body|expression|code|prompt|system|html|message|query|template|description|input)$/i

/** One field of the definition, drawn from its JSON Schema, bound to the value at `path`. */
export function renderField(
  b: Builder,
  raw: Schema,
  root: Schema,
  path: Path,
  options: FieldOptions,
): HTMLElement {
  const schema = resolve(raw, root)
  const credentialTypes = b.credentialTypesAt(path)
  if (credentialTypes) return credentialField(b, schema, path, options, credentialTypes)
  switch (kindOf(schema)) {
    case 'const':
      return h('input', { type: 'hidden', value: String(schema.const) })
    case 'enum':
      return enumField(b, schema, path, options)
    case 'string':
    case 'number':
      return textField(b, schema, path, options)
    case 'boolean':
      return booleanField(b, schema, path, options)
    case 'multi':
      return multiField(b, schema, path, options)
    case 'array':
      return arrayField(b, schema, root, path, options)
    case 'object':
      return objectField(b, schema, root, path, options)
    case 'record':
      return recordField(b, schema, path, options)
    case 'union':
      return unionField(b, schema, root, path, options)
    default:
      return jsonField(b, schema, path, options)
  }
}

/** Fields always shown before the rest fold away: a schema lists what matters first. */
const SHOWN_FIRST = 4

/**
 * The properties of an object schema, each as a field, required ones marked. With `fold`, the
 * optional fields left unset after the first few go under "More fields", so a node with twenty
 * options opens with the ones it needs.
 */
export function renderProperties(
  b: Builder,
  schema: Schema,
  root: Schema,
  path: Path,
  skip: string[] = [],
  fold = false,
): HTMLElement[] {
  const required = new Set(schema.required ?? [])
  const shown: HTMLElement[] = []
  const folded: HTMLElement[] = []
  Object.entries(schema.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .forEach(([name, property], i) => {
      const at = [...path, name]
      const field = renderField(b, property, root, at, {
        label: name,
        required: required.has(name),
      })
      const keep =
        !fold || i < SHOWN_FIRST || required.has(name) || getAt(b.definition, at) !== undefined
      ;(keep ? shown : folded).push(field)
    })
  if (folded.length === 0) return shown
  const more = h(
    'details',
    { class: 'more-fields', id: `${fieldId(path)}-more` },
    h('summary', {}, `More fields (${folded.length})`),
    folded,
  )
  return [...shown, more]
}

function set(b: Builder, path: Path, value: unknown) {
  setAt(b.definition as Record<string, unknown>, path, value)
  b.changed()
}

function label(id: string, options: FieldOptions) {
  return h('label', { for: id }, options.label, mark(options))
}

/** Seen, not read out: the control itself says aria-required. */
function mark(options: FieldOptions) {
  return options.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' required') : null
}

function hint(id: string, schema: Schema) {
  const parts = [
    schema.description,
    schema.default !== undefined ? `Default: ${JSON.stringify(schema.default)}.` : undefined,
  ].filter(Boolean)
  return parts.length ? h('p', { class: 'hint', id: `${id}-hint` }, parts.join(' ')) : null
}

function wrap(path: Path, ...children: (HTMLElement | null)[]) {
  return h('div', { class: 'field', 'data-field': dotted(path) }, ...children)
}

function describedBy(id: string, schema: Schema) {
  return schema.description || schema.default !== undefined ? `${id}-hint` : undefined
}

function textField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const value = getAt(b.definition, path)
  const number = kindOf(schema) === 'number'
  const long = !number && LONG_TEXT.test(String(path[path.length - 1]))
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  const props = {
    id,
    'data-path': dotted(path),
    // A node's fields take templates; the tree's clicks go into them.
    'data-template': path[0] === 'nodes' ? 'text' : undefined,
    'aria-required': options.required ? 'true' : undefined,
    'aria-describedby': describedBy(id, schema),
    placeholder: schema.default !== undefined ? String(schema.default) : undefined,
    inputmode: number ? 'decimal' : undefined,
    spellcheck: 'false',
    autocomplete: 'off',
    value: text,
    oninput: (event: Event) => {
      const typed = (event.target as HTMLInputElement).value
      // A number field may hold a template ({{ input.count }}): only a plain number is one.
      const parsed = number && /^-?\d+(\.\d+)?$/.test(typed.trim()) ? Number(typed) : typed
      set(b, path, typed === '' ? undefined : parsed)
    },
  }
  const control = long
    ? h('textarea', { ...props, rows: 3 })
    : h('input', { type: 'text', ...props })
  return wrap(path, label(id, options), control, hint(id, schema))
}

function enumField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const value = getAt(b.definition, path)
  const blank =
    schema.default !== undefined
      ? `(default: ${String(schema.default)})`
      : options.required
        ? 'Choose…'
        : '(not set)'
  const select = h(
    'select',
    {
      id,
      'data-path': dotted(path),
      'aria-required': options.required ? 'true' : undefined,
      'aria-describedby': describedBy(id, schema),
      onchange: (event: Event) => {
        const index = (event.target as HTMLSelectElement).selectedIndex - 1
        set(b, path, index < 0 ? undefined : schema.enum![index])
      },
    },
    h('option', { value: '' }, blank),
    schema.enum!.map((option) =>
      h('option', { value: String(option), selected: option === value }, String(option)),
    ),
  )
  return wrap(path, label(id, options), select, hint(id, schema))
}

function booleanField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const value = getAt(b.definition, path)
  const input = h('input', {
    type: 'checkbox',
    id,
    'data-path': dotted(path),
    'aria-describedby': describedBy(id, schema),
    checked: value === undefined ? schema.default === true : value === true,
    onchange: (event: Event) => {
      const checked = (event.target as HTMLInputElement).checked
      // Left out when it says what leaving it out says.
      const same = checked === (schema.default === true)
      set(b, path, same ? undefined : checked)
    },
  })
  return h(
    'div',
    { class: 'field check', 'data-field': dotted(path) },
    h('label', { for: id }, input, ` ${options.label}`),
    hint(id, schema),
  )
}

function multiField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const chosen = new Set((getAt(b.definition, path) as unknown[] | undefined) ?? [])
  const choices = schema.items!.enum!
  return h(
    'fieldset',
    { class: 'field group', id, 'data-path': dotted(path), 'data-field': dotted(path) },
    h('legend', {}, options.label, mark(options)),
    h(
      'div',
      { class: 'choices' },
      choices.map((choice, i) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            id: `${id}-${i}`,
            checked: chosen.has(choice),
            onchange: (event: Event) => {
              if ((event.target as HTMLInputElement).checked) chosen.add(choice)
              else chosen.delete(choice)
              const list = choices.filter((c) => chosen.has(c))
              set(b, path, list.length ? list : undefined)
            },
          }),
          ` ${String(choice)}`,
        ),
      ),
    ),
    hint(id, schema),
  )
}

function arrayField(b: Builder, schema: Schema, root: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const list = (getAt(b.definition, path) as unknown[] | undefined) ?? []
  const items = list.map((_, i) =>
    h(
      'div',
      { class: 'item' },
      renderField(b, schema.items!, root, [...path, i], {
        label: `${options.label} ${i + 1}`,
        required: false,
      }),
      h(
        'button',
        {
          type: 'button',
          class: 'danger small-button',
          onclick: () => {
            setAt(b.definition as Record<string, unknown>, [...path, i], undefined)
            b.rerender()
          },
        },
        `Remove ${options.label} ${i + 1}`,
      ),
    ),
  )
  return h(
    'fieldset',
    { class: 'field group', id, 'data-path': dotted(path), 'data-field': dotted(path) },
    h('legend', {}, options.label, mark(options)),
    hint(id, schema),
    items,
    h(
      'button',
      {
        type: 'button',
        class: 'small-button',
        onclick: () => {
          setAt(b.definition as Record<string, unknown>, path, [
            ...list,
            emptyValue(resolve(schema.items!, root)),
          ])
          b.rerender()
        },
      },
      `Add to ${options.label}`,
    ),
  )
}

function objectField(b: Builder, schema: Schema, root: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  return h(
    'fieldset',
    { class: 'field group', id, 'data-path': dotted(path), 'data-field': dotted(path) },
    h('legend', {}, options.label, mark(options)),
    hint(id, schema),
    renderProperties(b, schema, root, path),
  )
}

/** An object of free names (`set`'s fields, a request's headers): one row per name. */
function recordField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const record = (getAt(b.definition, path) as Record<string, unknown> | undefined) ?? {}
  const entries = Object.entries(record)
  const rename = (from: string, to: string) => {
    if (!to || to === from || to in record) return false
    const renamed = Object.fromEntries(
      Object.entries(record).map(([k, v]) => [k === from ? to : k, v]),
    )
    setAt(b.definition as Record<string, unknown>, path, renamed)
    b.changed()
    return true
  }
  const rows = entries.map(([key, value], i) => {
    const valuePath = [...path, key]
    const rowId = `${id}-${i}`
    return h(
      'div',
      { class: 'pair' },
      h('label', { for: `${rowId}-key`, class: 'sr-only' }, `${options.label} name ${i + 1}`),
      h('input', {
        type: 'text',
        id: `${rowId}-key`,
        class: 'pair-key',
        value: key,
        spellcheck: 'false',
        autocomplete: 'off',
        onchange: (event: Event) => {
          const input = event.target as HTMLInputElement
          if (rename(key, input.value.trim())) b.rerender()
          else input.value = key
        },
      }),
      h('label', { for: `${rowId}-value`, class: 'sr-only' }, `${options.label} ${key}`),
      h('input', {
        type: 'text',
        id: `${rowId}-value`,
        class: 'pair-value',
        'data-path': dotted(valuePath),
        'data-template': 'text',
        value: typeof value === 'string' ? value : JSON.stringify(value),
        spellcheck: 'false',
        autocomplete: 'off',
        oninput: (event: Event) => {
          const typed = (event.target as HTMLInputElement).value
          // A value that was not text (a number, an object) stays JSON while it parses as JSON.
          set(b, valuePath, typeof value === 'string' ? typed : parseOr(typed))
        },
      }),
      h(
        'button',
        {
          type: 'button',
          class: 'danger small-button',
          'aria-label': `Remove ${key}`,
          onclick: () => {
            setAt(b.definition as Record<string, unknown>, valuePath, undefined)
            if (getAt(b.definition, path) === undefined && path[path.length - 2] === 'config')
              setAt(b.definition as Record<string, unknown>, path, {})
            b.rerender()
          },
        },
        'Remove',
      ),
    )
  })
  return h(
    'fieldset',
    { class: 'field group', id, 'data-path': dotted(path), 'data-field': dotted(path) },
    h('legend', {}, options.label, mark(options)),
    hint(id, schema),
    rows,
    h(
      'button',
      {
        type: 'button',
        class: 'small-button',
        onclick: () => {
          let n = entries.length + 1
          while (`field${n}` in record) n++
          setAt(b.definition as Record<string, unknown>, path, { ...record, [`field${n}`]: '' })
          b.rerender()
        },
      },
      `Add a name to ${options.label}`,
    ),
  )
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** One of several shapes (a signature rule by preset or by header): pick one, fill it in. */
function unionField(b: Builder, schema: Schema, root: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const variants = (schema.anyOf ?? schema.oneOf)!.map((v) => resolve(v, root))
  const value = getAt(b.definition, path)
  const at = variantOf(variants, value)
  const select = h(
    'select',
    {
      id,
      'data-path': dotted(path),
      onchange: (event: Event) => {
        const index = (event.target as HTMLSelectElement).selectedIndex - 1
        const variant = variants[index]
        const fixed = Object.entries(variant?.properties ?? {})
          .filter(([, p]) => p.const !== undefined)
          .map(([key, p]) => [key, p.const])
        setAt(
          b.definition as Record<string, unknown>,
          path,
          variant ? Object.fromEntries(fixed) : undefined,
        )
        b.rerender()
      },
    },
    h('option', { value: '' }, options.required ? 'Choose…' : '(none)'),
    variants.map((v, i) => h('option', { value: String(i), selected: i === at }, variantLabel(v))),
  )
  const variant = variants[at]
  return h(
    'fieldset',
    { class: 'field group', 'data-field': dotted(path) },
    h('legend', {}, options.label, mark(options)),
    hint(id, schema),
    h('label', { for: id, class: 'sr-only' }, `${options.label}: kind`),
    select,
    variant ? renderProperties(b, variant, root, path) : null,
  )
}

/** Anything the form cannot draw (free JSON, mixed unions) is edited as JSON in place. */
function jsonField(b: Builder, schema: Schema, path: Path, options: FieldOptions) {
  const id = fieldId(path)
  const value = getAt(b.definition, path)
  const status = h('p', { class: 'hint', id: `${id}-status`, role: 'status' })
  const area = h('textarea', {
    id,
    class: 'code json-value',
    rows: 3,
    'data-path': dotted(path),
    'data-template': path[0] === 'nodes' ? 'json' : undefined,
    'aria-describedby': `${id}-status`,
    spellcheck: 'false',
    value: value === undefined ? '' : JSON.stringify(value, null, 2),
    oninput: (event: Event) => {
      const text = (event.target as HTMLTextAreaElement).value
      if (text.trim() === '') {
        status.textContent = ''
        return set(b, path, undefined)
      }
      try {
        set(b, path, JSON.parse(text))
        status.textContent = ''
      } catch (error) {
        status.textContent = `Not JSON yet: ${(error as Error).message}`
      }
    },
  })
  return wrap(
    path,
    label(id, { ...options, label: `${options.label} (JSON)` }),
    area,
    hint(id, schema),
    status,
  )
}

/** A node's credential: a select of the stored ones of the types it takes, and where to add one. */
function credentialField(
  b: Builder,
  schema: Schema,
  path: Path,
  options: FieldOptions,
  types: string[],
) {
  const id = fieldId(path)
  const value = getAt(b.definition, path)
  const stored = b.data.credentials.filter((c) => types.includes(c.type))
  const missing = typeof value === 'string' && value && !stored.some((c) => c.name === value)
  const select = h(
    'select',
    {
      id,
      'data-path': dotted(path),
      'aria-required': options.required ? 'true' : undefined,
      'aria-describedby': `${id}-hint`,
      onchange: (event: Event) => {
        const chosen = (event.target as HTMLSelectElement).value
        set(b, path, chosen || undefined)
      },
    },
    h(
      'option',
      { value: '' },
      stored.length ? 'Choose a credential…' : 'No credential of this type yet',
    ),
    stored.map((c) =>
      h('option', { value: c.name, selected: c.name === value }, `${c.name} (${c.type})`),
    ),
    missing ? h('option', { value: String(value), selected: true }, `${value} (not stored)`) : null,
  )
  return wrap(
    path,
    label(id, options),
    select,
    h(
      'p',
      { class: 'hint', id: `${id}-hint` },
      `A stored credential of type ${types.join(' or ')}. `,
      h('a', { href: '/admin/credentials', target: '_blank' }, 'Add a credential'),
      ' (opens a new tab; reload this page to see it here).',
    ),
  )
}
