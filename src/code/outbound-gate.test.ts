import { describe, expect, it } from 'vitest'
import { hostAllowed } from './outbound-gate'

const allowed = (url: string, hosts: string[]) => hostAllowed(new URL(url), hosts)

describe('hostAllowed', () => {
  it('lets a host alone through on its scheme default port only', () => {
    expect(allowed('https://api.example.com/x', ['api.example.com'])).toBe(true)
    expect(allowed('http://api.example.com:80/x', ['api.example.com'])).toBe(true)
    expect(allowed('https://api.example.com:8443/x', ['api.example.com'])).toBe(false)
    expect(allowed('http://localhost:8923/', ['localhost'])).toBe(false)
    expect(allowed('https://api.example.com:80/', ['api.example.com'])).toBe(false)
  })

  it('lets host:port through on that port alone, on either scheme', () => {
    expect(allowed('http://localhost:8923/', ['localhost:8923'])).toBe(true)
    expect(allowed('https://localhost:8923/', ['localhost:8923'])).toBe(true)
    expect(allowed('http://localhost/', ['localhost:8923'])).toBe(false)
    expect(allowed('https://api.example.com/', ['api.example.com:443'])).toBe(true)
  })

  it('matches subdomains for *. and ignores case', () => {
    expect(allowed('https://a.b.Example.com/', ['*.example.com'])).toBe(true)
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false)
    expect(allowed('https://evilexample.com/', ['*.example.com'])).toBe(false)
    expect(allowed('http://x.example.com:81/', ['*.EXAMPLE.com:81'])).toBe(true)
  })
})
