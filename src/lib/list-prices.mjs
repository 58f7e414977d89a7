// Cloudflare list prices on the Workers Paid plan (USD), kept in one place for the bench
// (scripts/bench/cost.mjs) and the admin dashboard's cost estimate (src/http/admin/lib/run-cost.ts). Plain
// JavaScript so Node scripts can import it without a build. Read 2026-11-26 from Cloudflare's docs
// (the pages below, via their cloudflare-docs sources). Update `readOn` whenever a number changes.

export const prices = {
  readOn: '2026-11-26',
  plan: 'Workers Paid (Standard usage model)',
  sources: [
    'https://developers.cloudflare.com/workers/platform/pricing/',
    'https://developers.cloudflare.com/queues/platform/pricing/',
    'https://developers.cloudflare.com/d1/platform/pricing/',
  ],
  /** The plan's minimum monthly charge per account. */
  monthlyMinimumUsd: 5,
  workers: {
    // "10 million included per month, +$0.30 per additional million" (inbound requests).
    requestsIncludedPerMonth: 10_000_000,
    usdPerMillionRequests: 0.3,
    // "30 million CPU milliseconds included per month, +$0.02 per additional million CPU ms".
    cpuMsIncludedPerMonth: 30_000_000,
    usdPerMillionCpuMs: 0.02,
  },
  queues: {
    // "1,000,000 operations/month included + $0.40/million operations"; an operation is each
    // 64 KB written, read or deleted (1 KB = 1,000 bytes; ~100 bytes of metadata per message).
    opsIncludedPerMonth: 1_000_000,
    usdPerMillionOps: 0.4,
    bytesPerOp: 64_000,
    metadataBytesPerMessage: 100,
    // Write, read, delete: "in most cases, it takes 3 operations to deliver a message".
    opsPerDelivery: 3,
  },
  d1: {
    // "First 25 billion / month included + $0.001 / million rows" read.
    rowsReadIncludedPerMonth: 25_000_000_000,
    usdPerMillionRowsRead: 0.001,
    // "First 50 million / month included + $1.00 / million rows" written.
    rowsWrittenIncludedPerMonth: 50_000_000,
    usdPerMillionRowsWritten: 1.0,
    // "First 5 GB included + $0.75 / GB-mo": not in the per-run cost (it depends on retention).
    storageIncludedGb: 5,
    usdPerGbMonth: 0.75,
  },
}
