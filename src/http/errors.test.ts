import { expect, it } from 'vitest'
import { loggablePath } from './errors'

it('keeps webhook tokens out of logged paths', () => {
  expect(loggablePath('/hooks/wf_abc/s3cr3t-token')).toBe('/hooks/wf_abc/***')
  expect(loggablePath('/hooks/resume/run-1/approval/s3cr3t-token')).toBe(
    '/hooks/resume/run-1/approval/***',
  )
  expect(loggablePath('/api/runs/123')).toBe('/api/runs/123')
})
