import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from './lib/local-server'

// Issue 19 item 11: http-request under `npm start` (wrangler dev) against an upstream that speaks
// HTTP/1.0, as Python's http.server and many small internal services do: each answer says
// `HTTP/1.0` and `Connection: close`, and the server closes the socket after it. A forEach of
// POSTs to it failed with HTTP_NETWORK "Network connection lost". Ports 8930-8939 (rotate-key
// takes 8900-8909, the workflows CLI 8910-8919).

type Seen = { method: string; path: string; body: string }

/**
 * A tiny HTTP/1.0 server on raw sockets (node:http would answer HTTP/1.1): it reads one request,
 * answers after `delayMs`, with or without a Content-Length (without one, the body ends when the
 * socket closes, as HTTP/1.0 allows), and closes the connection.
 */
function http10Server(delayMs: number, withLength: boolean, sayClose: boolean) {
  const seen: Seen[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffer = Buffer.alloc(0)
    let answered = false
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0 || answered) return
      const head = buffer.subarray(0, end).toString('latin1')
      const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0)
      if (buffer.length < end + 4 + length) return
      answered = true
      const [method = '', path = ''] = head.split('\r\n')[0]!.split(' ')
      const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8')
      seen.push({ method, path, body })
      const answer = JSON.stringify({ received: body ? JSON.parse(body) : null })
      setTimeout(() => {
        socket.end(
          'HTTP/1.0 200 OK\r\n' +
            'Server: BaseHTTP/0.6 Python/3.12.3\r\n' +
            `Date: ${new Date().toUTCString()}\r\n` +
            'Content-Type: application/json\r\n' +
            (withLength ? `Content-Length: ${Buffer.byteLength(answer)}\r\n` : '') +
            (sayClose ? 'Connection: close\r\n' : '') +
            '\r\n' +
            answer,
        )
      }, delayMs)
    })
  })
  return {
    seen,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const address = server.address()
      return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

let server: LocalServer | undefined

beforeAll(async () => {
  server = await startLocalServer(range(8930, 8939))
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

afterAll(async () => {
  await server?.stop()
})

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as any }
}

async function finished(runId: string) {
  const deadline = Date.now() + 90_000
  for (;;) {
    const { body } = await api('GET', `/api/runs/${runId}`)
    if (!['queued', 'running'].includes(body.status)) return body
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${body.status} after 90 s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

type Case = {
  delayMs: number
  withLength: boolean
  sayClose: boolean
  method: 'GET' | 'POST' | 'PUT'
  sendIdempotencyKey?: boolean
}

describe('http-request against an HTTP/1.0 upstream under wrangler dev (issue 19 item 11)', () => {
  it.each<[string, Case]>([
    [
      'POSTs with an idempotency key, answered as Python does (no Connection header) after 250 ms',
      { delayMs: 250, withLength: true, sayClose: false, method: 'POST', sendIdempotencyKey: true },
    ],
    [
      'GETs answered as Python does, at once',
      { delayMs: 0, withLength: true, sayClose: false, method: 'GET' },
    ],
    [
      'PUTs answered as Python does, at once',
      { delayMs: 0, withLength: true, sayClose: false, method: 'PUT' },
    ],
    [
      'POSTs answered with Connection: close after 250 ms',
      { delayMs: 250, withLength: true, sayClose: true, method: 'POST' },
    ],
    [
      'POSTs answered with Connection: close and no Content-Length (the body ends at close)',
      { delayMs: 0, withLength: false, sayClose: true, method: 'POST' },
    ],
  ])('a forEach of 30 %s succeeds', async (_, c) => {
    const upstream = http10Server(c.delayMs, c.withLength, c.sayClose)
    const base = await upstream.listen()
    try {
      const created = await api('POST', '/api/workflows', {
        name: `HTTP/1.0 upstream: ${_}`,
        nodes: [
          {
            id: 'call',
            type: 'http-request',
            forEach: '{{ input.items }}',
            config: {
              method: c.method,
              url: `${base}/items/{{ item }}`,
              ...(c.method === 'GET' ? {} : { body: { n: '{{ item }}' } }),
              sendIdempotencyKey: c.sendIdempotencyKey ?? false,
            },
          },
        ],
      })
      expect(created.status).toBe(201)
      const items = Array.from({ length: 30 }, (_, i) => i)
      const started = await api('POST', `/api/workflows/${created.body.id}/runs`, { items })
      expect(started.status).toBe(202)
      const run = await finished(started.body.runId)
      expect(run.error).toBeNull()
      expect(run.status).toBe('succeeded')
      expect(run.steps[0].attempts).toBe(30)
      expect(run.steps[0].output.map((answer: any) => answer.status)).toEqual(items.map(() => 200))
      if (c.method !== 'GET') {
        expect(run.steps[0].output.map((answer: any) => answer.body.received.n)).toEqual(items)
      }
      // Every element reached the server (a retried one once more only if the server never read
      // it the first time: the request went to a socket it had closed).
      const paths = new Set(upstream.seen.map((request) => request.path))
      expect([...paths].sort()).toEqual(items.map((i) => `/items/${i}`).sort())
    } finally {
      await upstream.close()
    }
  })
})
