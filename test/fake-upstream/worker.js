// A fake third-party API, reached through the Worker's outbound fetches in tests. Each test uses
// its own host name, so tests running side by side never see each other's traffic.
//
//   POST /__program   { routes: [{ method?, path, responses: [{ status, headers?, body?, bodyBase64?,
//                     delayMs?, bodyDelayMs? }] }], rate?: { perSecond, burst } }
//                     responses are served in order; the last one repeats; bodyBase64 answers
//                     those bytes; rate speeds up an API fake's rate limit for this host. delayMs holds back the
//                     whole answer; bodyDelayMs sends the headers at once and the body that much
//                     later, like an API that starts answering and then stalls.
//   GET  /__requests  { requests: [{ method, path, query, headers, body, text }], effects }
//   GET  /__echo-auth?filler=N&status=S  answers S (default 400) with N filler characters and
//                     then the Authorization header as sent, as text: an API that quotes the key it
//                     was given after some text of its own (the secret hunt cuts through it).
//   POST /__release   { gate } opens a gate: a response programmed with `gate: "<name>"` is held
//                     until then (at most 30 s), so a test can act while a call is in flight
//                     without guessing how long that takes.
//
// Any other request is recorded and answered by its route, by the fake of the API its host
// belongs to (apis.js: Notion, Google, Discord, GitHub, Slack, Telegram, OpenAI, Azure OpenAI,
// Anthropic), or with 200 { ok: true, echo }.
// A request with an Idempotency-Key already seen gets the first answer again and is not counted
// as a new effect, as Stripe and most payment APIs do.

import { apiFor } from './apis.js'

const hosts = new Map()

function stateOf(host) {
  let state = hosts.get(host)
  if (!state) {
    state = { routes: [], requests: [], effects: [], seenKeys: new Map(), openGates: new Set() }
    hosts.set(host, state)
  }
  return state
}

function findRoute(state, method, path) {
  return state.routes.find(
    (r) => (!r.method || r.method === method) && (r.path === path || r.path === '*'),
  )
}

// 204 and 304 answers may not carry a body at all, not even an empty one.
function bodyOf(answer) {
  return answer.body === '' && [204, 205, 304].includes(answer.status) ? null : answer.body
}

const GATE_MAX_HOLD_MS = 30_000

// Polls rather than awaiting a promise resolved by the releasing request: workerd ties promises
// to the request that made them.
async function heldAtGate(state, gate) {
  const deadline = Date.now() + GATE_MAX_HOLD_MS
  while (!state.openGates.has(gate) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function stalled(text, delayMs) {
  const { readable, writable } = new TransformStream()
  const writer = writable.getWriter()
  const bytes = new TextEncoder().encode(text)
  setTimeout(() => {
    // The client may have given up meanwhile; then there is no one left to write to.
    writer
      .write(bytes)
      .then(() => writer.close())
      .catch(() => {})
  }, delayMs)
  return readable
}

export default {
  async fetch(request) {
    const url = new URL(request.url)
    const state = stateOf(url.host)

    if (url.pathname === '/__program' && request.method === 'POST') {
      const program = await request.json()
      state.routes = (program.routes ?? []).map((r) => ({ ...r, served: 0 }))
      // A faster pace for an API fake's rate limit (Notion), so a test need not take minutes.
      state.rate = program.rate
      return Response.json({ ok: true })
    }
    if (url.pathname === '/__release' && request.method === 'POST') {
      const { gate } = await request.json()
      state.openGates.add(gate)
      return Response.json({ ok: true })
    }
    if (url.pathname === '/__requests') {
      return Response.json({ requests: state.requests, effects: state.effects })
    }

    // Decoded by hand: request.text() warns on bodies that are not declared as text (forms).
    const bytes = await request.arrayBuffer()
    const text = new TextDecoder().decode(bytes)
    const type = request.headers.get('content-type') ?? ''
    let form
    if (type.startsWith('multipart/form-data')) {
      // As any server reads it: a body that does not parse as the boundary says is a 400.
      try {
        form = await multipartFields(bytes, type)
      } catch (error) {
        return new Response(`malformed multipart body: ${error.message}`, { status: 400 })
      }
    }
    let body = text
    try {
      body = text ? JSON.parse(text) : null
    } catch {}
    const record = {
      method: request.method,
      path: normalPath(url.pathname),
      query: Object.fromEntries(url.searchParams),
      // The query exactly as it arrived, for a signature that covers its bytes.
      rawQuery: url.search,
      headers: Object.fromEntries(request.headers),
      body,
      // As sent: JSON.parse above would round a number beyond 2^53.
      text,
      ...(form ? { form } : {}),
    }
    state.requests.push(record)

    if (url.pathname === '/__echo-auth') {
      const filler = '.'.repeat(Number(url.searchParams.get('filler') ?? 0))
      return new Response(filler + (request.headers.get('authorization') ?? ''), {
        status: Number(url.searchParams.get('status') ?? 400),
        headers: { 'content-type': 'text/plain' },
      })
    }

    const key = request.headers.get('idempotency-key')
    if (key && state.seenKeys.has(key)) {
      const first = state.seenKeys.get(key)
      return new Response(bodyOf(first), {
        status: first.status,
        headers: { ...first.headers, 'idempotent-replayed': 'true' },
      })
    }

    const route = findRoute(state, request.method, url.pathname)
    let answer = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: true, echo: body }),
    }
    let stallMs = 0
    const api = route ? undefined : apiFor(url)
    if (api) answer = await api({ ...record, rawBody: text }, url, { rate: state.rate })
    if (route) {
      const response = route.responses[Math.min(route.served, route.responses.length - 1)]
      stallMs = response.bodyDelayMs ?? 0
      route.served += 1
      if (response.gate) await heldAtGate(state, response.gate)
      if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs))
      const isText = typeof response.body === 'string'
      answer = {
        status: response.status ?? 200,
        headers: {
          'content-type': isText ? 'text/plain' : 'application/json',
          ...(response.headers ?? {}),
        },
        body:
          response.bodyBase64 !== undefined
            ? Uint8Array.from(atob(response.bodyBase64), (c) => c.charCodeAt(0))
            : response.body === undefined
              ? ''
              : isText
                ? response.body
                : JSON.stringify(response.body),
      }
    }
    if (answer.status < 400) {
      state.effects.push({ method: record.method, path: record.path, key, body })
      if (key) state.seenKeys.set(key, answer)
    }
    return new Response(stallMs ? stalled(answer.body, stallMs) : bodyOf(answer), {
      status: answer.status,
      headers: answer.headers,
    })
  },
}

// The fields of a multipart/form-data body: text fields as strings, files as { filename, type,
// size, base64 }.
async function multipartFields(bytes, type) {
  if (!/;\s*boundary=/.test(type)) throw new Error('no boundary in the content type')
  const data = await new Response(bytes, { headers: { 'content-type': type } }).formData()
  const fields = []
  for (const [name, value] of data) {
    if (typeof value === 'string') fields.push({ name, value })
    else {
      const file = new Uint8Array(await value.arrayBuffer())
      let binary = ''
      for (const byte of file) binary += String.fromCharCode(byte)
      fields.push({
        name,
        filename: value.name,
        type: value.type,
        size: file.length,
        base64: btoa(binary),
      })
    }
  }
  return fields
}

// A path as servers compare it: escapes of characters a path may hold as they are (`%3A` is `:`,
// as Google's `Sheet1!1%3A1` is `Sheet1!1:1`) decoded, every other escape kept, in capitals.
function normalPath(path) {
  return path.replace(/%([0-9a-f]{2})/gi, (escape, hex) => {
    const char = String.fromCharCode(parseInt(hex, 16))
    return /[A-Za-z0-9\-._~!$&'()*+,;=:@]/.test(char) ? char : escape.toUpperCase()
  })
}
