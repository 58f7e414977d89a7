/**
 * The run id of one fire time of one schedule: UUIDv7-shaped, its time bits the fire time (so
 * runs still sort by time), the rest a hash of workflow and time. The same fire can only ever
 * be one run, whichever tick or retry writes it.
 */
export async function scheduledRunId(workflowId: string, scheduledAt: number): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`schedule:${workflowId}:${scheduledAt}`),
  )
  const bytes = new Uint8Array(digest).slice(0, 16)
  let ms = scheduledAt
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
