export type ApiAnswer = {
  status: number
  body: any
  /** The field errors of a 4xx: `{ path, message }` per bad field. */
  fieldErrors: { path: string; message: string }[]
  /** The error's message for anything that is not a success. */
  message?: string
}

/** An API response as the pages use it: the body parsed, a refusal's field errors picked out. */
export async function answerOf(response: Response): Promise<ApiAnswer> {
  const text = await response.text()
  let parsed: any = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  const error = response.ok ? undefined : parsed?.error
  return {
    status: response.status,
    body: parsed,
    fieldErrors: Array.isArray(error?.details)
      ? error.details.filter((d: any) => typeof d?.path === 'string')
      : [],
    message: response.ok ? undefined : (error?.message ?? `HTTP ${response.status}`),
  }
}
