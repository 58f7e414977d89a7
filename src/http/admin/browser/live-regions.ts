const EVERY_MS = 2000
const AT_MOST_MS = 30_000

/**
 * Live regions: [data-live] elements are fetched again every 2 s and swapped in place, until the
 * server sends them without data-live (the run finished). Opened <details> stay open; failures
 * back off, and a hidden tab does not poll.
 */
export function refreshLiveRegions({ onSwap }: { onSwap: (fresh: Element) => void }) {
  let failures = 0
  async function refresh() {
    const regions = [...document.querySelectorAll('[data-live][id]')]
    if (regions.length === 0) return
    if (!document.hidden) {
      try {
        const response = await fetch(location.href, { headers: { accept: 'text/html' } })
        if (!response.ok) throw new Error(String(response.status))
        const next = new DOMParser().parseFromString(await response.text(), 'text/html')
        for (const region of regions) {
          const fresh = next.getElementById(region.id)
          if (!fresh) continue
          keepDetailsAsTheyWere(region, fresh)
          region.replaceWith(document.adoptNode(fresh))
          onSwap(fresh)
        }
        document.title = next.title
        failures = 0
      } catch {
        failures += 1
      }
    }
    setTimeout(refresh, Math.min(EVERY_MS * 2 ** failures, AT_MOST_MS))
  }
  setTimeout(refresh, EVERY_MS)
}

function keepDetailsAsTheyWere(region: Element, fresh: Element) {
  const ids = (selector: string) =>
    new Set([...region.querySelectorAll<HTMLDetailsElement>(selector)].map((d) => d.id))
  const open = ids('details[open][id]')
  const shut = ids('details[id]:not([open])')
  for (const d of fresh.querySelectorAll<HTMLDetailsElement>('details[id]')) {
    if (open.has(d.id)) d.open = true
    if (shut.has(d.id)) d.open = false
  }
}
