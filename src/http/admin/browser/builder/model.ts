import type { Schema } from './json-schema'
import type { Path } from './paths'

export type NodeInfo = {
  type: string
  title: string
  description: string
  app?: string
  credentialTypes: string[]
  effectful: boolean
  configSchema: Schema
}

export type RunSample = {
  runId: string
  label: string
  input: unknown
  steps: Record<string, { output: unknown }>
}

/** A node's last "Test this step" (src/store/step-tests.ts): its verdict, never its output. */
export type LastTest = {
  status: 'succeeded' | 'failed'
  error: { code?: string | null; message: string | null } | null
  durationMs: number
  /** Epoch milliseconds. */
  testedAt: number
}

/** What the page embeds for the builder (src/http/admin/lib/builder-data.ts). */
export type BuilderData = {
  nodes: NodeInfo[]
  trigger: Schema
  workflow: Schema
  credentials: { name: string; type: string }[]
  samples: RunSample[]
  /** The workflow's pinned test payload, if one was pinned. */
  pinned: { input: unknown } | null
  /** Where "Pin this payload" posts; null for a workflow not saved yet. */
  pinUrl: string | null
  /** Where "Test this step" posts; null for a workflow not saved yet. */
  testUrl: string | null
  /** Each node's last test, by node id; the page updates it after a test. */
  lastTests: Record<string, LastTest>
  errors: { path: string; message: string }[]
}

export type WorkflowNode = {
  id: string
  type: string
  name?: string
  config?: Record<string, unknown>
  [setting: string]: unknown
}

export type Definition = {
  name?: string
  trigger?: Record<string, unknown>
  nodes: WorkflowNode[]
  [field: string]: unknown
}

/** The editor's shared state: the definition, and what to do when it changes. */
export type Builder = {
  data: BuilderData
  definition: Definition
  /** The form token the builder's own posts carry. */
  csrf: string
  /** The sample the panel shows now: what previews and step tests read. */
  sample: { input: unknown; steps: Record<string, { output: unknown }> }
  /** A value changed: the JSON follows, the preview is asked again. */
  changed(): void
  /** Nodes were added, moved or removed (or the JSON replaced): the form is drawn again. */
  rerender(): void
  /** The credential select's choices for a field, when the field is a node's credential. */
  credentialTypesAt(path: Path): string[] | undefined
}
