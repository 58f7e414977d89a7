import { usePage } from './page-context'

const LINKS = [
  { href: '/admin', label: 'Dashboard' },
  { href: '/admin/workflows', label: 'Workflows' },
  { href: '/admin/runs', label: 'Runs' },
  { href: '/admin/inbox', label: 'Inbox' },
  { href: '/admin/credentials', label: 'Credentials' },
  { href: '/admin/nodes', label: 'Nodes' },
  { href: '/admin/agents', label: 'AI agents' },
] as const

/** The section a path belongs to: /admin/runs/x is under Runs, /admin only under Dashboard. */
function current(path: string, href: string) {
  if (href === '/admin') return path === '/admin' || path === '/admin/'
  return path === href || path.startsWith(`${href}/`)
}

export function Nav() {
  const { path } = usePage()
  return (
    <nav class="nav" aria-label="Admin sections">
      <ul>
        {LINKS.map((link) => (
          <li>
            <a href={link.href} aria-current={current(path, link.href) ? 'page' : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
