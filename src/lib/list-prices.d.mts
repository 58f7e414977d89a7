// Types for list-prices.mjs, which stays JavaScript so the Node bench scripts can import it.
export declare const prices: {
  readOn: string
  plan: string
  sources: string[]
  monthlyMinimumUsd: number
  workers: {
    requestsIncludedPerMonth: number
    usdPerMillionRequests: number
    cpuMsIncludedPerMonth: number
    usdPerMillionCpuMs: number
  }
  queues: {
    opsIncludedPerMonth: number
    usdPerMillionOps: number
    bytesPerOp: number
    metadataBytesPerMessage: number
    opsPerDelivery: number
  }
  d1: {
    rowsReadIncludedPerMonth: number
    usdPerMillionRowsRead: number
    rowsWrittenIncludedPerMonth: number
    usdPerMillionRowsWritten: number
    storageIncludedGb: number
    usdPerGbMonth: number
  }
}
