import type { AutomateError } from '../src/errors'

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<AutomateError> {
  try {
    await promise
  } catch (error) {
    return error as AutomateError
  }
  throw new Error('expected a failure')
}
