import { Hono } from 'hono'
import type { Env } from '../env'

// Replaced by the full admin page; kept minimal until then.
export const adminPage = new Hono<{ Bindings: Env }>()
adminPage.get('/', (c) => c.html('<!doctype html><title>AutomateOS</title><h1>AutomateOS</h1>'))
