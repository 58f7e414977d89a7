// The answer shape the fake APIs return to worker.js: { status, headers, body (a string) }.
export function json(status, value, headers = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  }
}

export function text(status, value, headers = {}) {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    body: value,
  }
}

export function bearerOf(request) {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')
  return match ? match[1] : undefined
}
