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
    if (!/^https?:$/.test(url.protocol) || !hostAllowed(url.hostname, hosts)) {
      throw new Error(
        `${url.protocol}//${url.host} is not in this code step's allowedHosts (${hosts.join(', ')})`,
      )
    }
    return fetch(request)
  }
}

export function hostAllowed(hostname: string, hosts: string[]): boolean {
  const host = hostname.toLowerCase()
  return hosts.some((allowed) => {
    const pattern = allowed.toLowerCase()
    return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern
  })
}
