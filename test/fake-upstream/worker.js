// A fake third-party API, reached through the Worker's outbound fetches in tests. Each test uses
// its own host name, so tests running side by side never see each other's traffic.
//
//   POST /__program   { routes: [{ method?, path, responses: [{ status, headers?, body?, delayMs?,
//                     bodyDelayMs? }] }] }
//                     responses are served in order; the last one repeats. delayMs holds back the
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
    const text = new TextDecoder().decode(await request.arrayBuffer())
    let body = text
    try {
      body = text ? JSON.parse(text) : null
    } catch {}
    const record = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(request.headers),
      body,
      // As sent: JSON.parse above would round a number beyond 2^53.
      text,
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
    if (api) answer = await api({ ...record, rawBody: text }, url)
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
          response.body === undefined ? '' : isText ? response.body : JSON.stringify(response.body),
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
