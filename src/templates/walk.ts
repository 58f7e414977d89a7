import { hasTemplate } from './parse'

export type FieldPath = (string | number)[]

/** Every string holding a template in a config value, at any depth, with its path. */
export function templateStrings(
  value: unknown,
  path: FieldPath = [],
): { path: FieldPath; text: string }[] {
  const found: { path: FieldPath; text: string }[] = []
  visit(value, path, (text, at) => {
    if (hasTemplate(text)) found.push({ path: at, text })
  })
  return found
}

function visit(value: unknown, path: FieldPath, onString: (text: string, path: FieldPath) => void) {
  if (typeof value === 'string') onString(value, path)
  else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i], onString))
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) visit(item, [...path, key], onString)
  }
}

/** `config.headers.Authorization`, `config.items[2].name`: how a user reads a field path. */
export function formatPath(path: FieldPath): string {
  return path
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : i === 0
          ? part
          : /^[A-Za-z_$][\w$]*$/.test(part)
            ? `.${part}`
            : `[${JSON.stringify(part)}]`,
    )
    .join('')
}
