import { WorkerEntrypoint } from 'cloudflare:workers'
import type { Env } from '../env'

export type GateProps = { hosts: string[] }

/**
 * The only way out of a code step's Dynamic Worker when its config lists `allowedHosts`: every
 * fetch it makes arrives here, and goes on only to a listed host ("api.example.com", or
 * "*.example.com" for its subdomains), over http or https. Without allowedHosts the Dynamic
 * Worker gets no outbound at all (`globalOutbound: null`).
 */
export class CodeOutboundGate extends WorkerEntrypoint<Env, GateProps> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const hosts = this.ctx.props.hosts
    if (!/^https?:$/.test(url.protocol) || !hostAllowed(url, hosts)) {
      throw new Error(
        `${url.protocol}//${url.host} is not in this code step's allowedHosts (${hosts.join(', ')})`,
      )
    }
    return fetch(request)
  }
}

/**
 * Whether a URL's host and port are listed. An entry without a port allows the scheme's default
 * port only (80 for http, 443 for https): "localhost" must not open every service on the machine.
 * "host:8443" allows that port alone, on either scheme.
 */
export function hostAllowed(url: URL, hosts: string[]): boolean {
  const host = url.hostname.toLowerCase()
  // URL drops a port that is the scheme's default, so '' means 80 for http and 443 for https.
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return hosts.some((entry) => {
    const [name = '', listedPort] = entry.toLowerCase().split(':')
    const portMatches =
      listedPort === undefined ? url.port === '' : Number(listedPort) === Number(port)
    const nameMatches = name.startsWith('*.') ? host.endsWith(name.slice(1)) : host === name
    return nameMatches && portMatches
  })
}
