// The prices live in src/lib/list-prices.mjs, shared with the admin dashboard's cost estimate.
export { prices } from '../../src/lib/list-prices.mjs'
