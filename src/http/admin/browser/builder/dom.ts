type Child = Node | string | null | undefined | false
type Props = Record<string, unknown>

/**
 * An element with attributes, listeners (`onclick`) and children: the builder's only way to make
 * DOM, so no string of HTML is ever parsed (the CSP forbids inline handlers, and text stays text).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value as EventListener)
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      ;(element as any)[key] = value
    } else element.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(child)
  }
  return element
}

/** An id usable in HTML and CSS from a field path: `nodes.0.config.x` → `f-nodes-0-config-x`. */
export function fieldId(path: (string | number)[]): string {
  return `f-${path.map((p) => String(p).replace(/[^A-Za-z0-9_]/g, '_')).join('-')}`
}
