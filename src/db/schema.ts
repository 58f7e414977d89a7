import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// Times are epoch milliseconds: cheap to compare in SQL, exact in JSON.

export const workflows = sqliteTable('workflows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  hookToken: text('hook_token').notNull(),
  version: integer('version').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

// Every save is a new row; a run names the version it started with, so editing a workflow
// never changes a run in flight. Rows stay after the workflow is deleted, for its runs.
export const workflowVersions = sqliteTable(
  'workflow_versions',
  {
    workflowId: text('workflow_id').notNull(),
    version: integer('version').notNull(),
    definition: text('definition').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
)

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    workflowVersion: integer('workflow_version').notNull(),
    status: text('status').notNull(),
    trigger: text('trigger').notNull(),
    input: text('input'),
    output: text('output'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    // The consumer holding the run, and until when: a second delivery leaves it alone.
    leaseId: text('lease_id'),
    leaseUntil: integer('lease_until'),
    // When someone should next be working on this run; the sweeper looks only at this.
    wakeAt: integer('wake_at').notNull(),
    sweeps: integer('sweeps').notNull().default(0),
    // A node waiting for a delayed retry: { index, attempts, error }.
    pendingRetry: text('pending_retry'),
    // A step that paused the run (delay, an outside call): see src/store/run-model.ts.
    waiting: text('waiting'),
    // The run this one replays or resumes (migration 0010); null for a run started otherwise.
    replayOf: text('replay_of'),
    resumedFrom: text('resumed_from'),
    // The run that resumed this one (migration 0014): set once, by a conditional UPDATE.
    resumedBy: text('resumed_by'),
    // The run's resume URL key (src/engine/resume-url.ts), set on first use.
    resumeKey: text('resume_key'),
  },
  (t) => [
    // Run ids are UUIDv7, so id order is creation order: newest-first pages need no other index.
    index('runs_workflow').on(t.workflowId, t.id),
    // Partial: finished runs leave it, so the sweeper's scan stays small and finished runs
    // cost no index writes. Keyed on finished_at rather than status, so that claiming a run
    // (queued to running) does not rewrite its entry: D1 bills every index write as a row.
    index('runs_unfinished_wake')
      .on(t.wakeAt)
      .where(sql`finished_at is null`),
    // The runs made from a run (migration 0014). Partial: most runs are neither.
    index('runs_replay_of')
      .on(t.replayOf)
      .where(sql`replay_of is not null`),
    index('runs_resumed_from')
      .on(t.resumedFrom)
      .where(sql`resumed_from is not null`),
  ],
)

// One row per node execution. The primary key is what makes a step impossible to record twice.
export const steps = sqliteTable(
  'steps',
  {
    runId: text('run_id').notNull(),
    index: integer('step_index').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    nodeName: text('node_name'),
    status: text('status').notNull(),
    input: text('input'),
    output: text('output'),
    error: text('error'),
    attempts: integer('attempts').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
    // The config the node ran with, templates filled in (migration 0006).
    config: text('config'),
    // A step a resumed run copied from an earlier run instead of calling its node: the run
    // whose node ran (migration 0010).
    reusedFrom: text('reused_from'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.index] })],
)

// Finished elements of a forEach step whose node has outside effects, until the step is recorded
// (migration 0006, WITHOUT ROWID): a run cut mid-forEach resumes after them.
export const foreachItems = sqliteTable(
  'foreach_items',
  {
    runId: text('run_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    itemIndex: integer('item_index').notNull(),
    status: text('status').notNull(),
    output: text('output'),
    error: text('error'),
    attempts: integer('attempts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepIndex, t.itemIndex] })],
)

// Webhook deliveries already accepted, so a provider's retry does not start a second run.
export const ingestKeys = sqliteTable(
  'ingest_keys',
  {
    workflowId: text('workflow_id').notNull(),
    key: text('key').notNull(),
    runId: text('run_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workflowId, t.key] }),
    index('ingest_keys_created').on(t.createdAt),
  ],
)

// Payloads too large for a queue message or a D1 column, split in chunks.
export const blobs = sqliteTable(
  'blobs',
  {
    id: text('id').notNull(),
    seq: integer('seq').notNull(),
    data: text('data').notNull(),
    createdAt: integer('created_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.id, t.seq] })],
)

// Credentials: `ciphertext` is the AES-GCM encrypted `data` (src/credentials/crypto.ts); nothing
// secret is stored in clear. The name, type and base URL are bound to it as additional data.
export const credentials = sqliteTable('credentials', {
  name: text('name').primaryKey(),
  type: text('type').notNull(),
  baseUrl: text('base_url'),
  keyId: text('key_id').notNull(),
  iv: text('iv').notNull(),
  ciphertext: text('ciphertext').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  // OAuth2 (migration 0017): the compare-and-swap version and lease of a token refresh, and what
  // may be shown of the connection without decrypting it.
  version: integer('version').notNull().default(0),
  leaseUntil: integer('lease_until'),
  connection: text('connection'),
  connectionNote: text('connection_note'),
  connectionChangedAt: integer('connection_changed_at'),
})

// A started "Connect" (migration 0017): state and browser cookie kept as hashes, the PKCE
// verifier sealed; at most 10 minutes old, deleted when used.
export const oauthStarts = sqliteTable('oauth_starts', {
  stateHash: text('state_hash').primaryKey(),
  credential: text('credential').notNull(),
  browserHash: text('browser_hash').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  keyId: text('key_id').notNull(),
  iv: text('iv').notNull(),
  ciphertext: text('ciphertext').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

// The schedule of each enabled workflow whose trigger is a cron (migration 0005). A tick claims
// a fire time with a conditional UPDATE on next_fire_at, so two overlapping ticks fire it once.
export const schedules = sqliteTable(
  'schedules',
  {
    workflowId: text('workflow_id').primaryKey(),
    // The version the schedule belongs to: a tick that read an older one cannot claim.
    workflowVersion: integer('workflow_version').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    nextFireAt: integer('next_fire_at'),
    lastFireAt: integer('last_fire_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('schedules_due')
      .on(t.nextFireAt)
      .where(sql`next_fire_at is not null`),
  ],
)

// Failed runs someone dismissed from the admin inbox (migration 0009; WITHOUT ROWID there).
export const runDismissals = sqliteTable('run_dismissals', {
  runId: text('run_id').primaryKey(),
  dismissedAt: integer('dismissed_at').notNull(),
})

// Live admin page sessions (migration 0008; WITHOUT ROWID there): signing out deletes the row.
export const adminSessions = sqliteTable('admin_sessions', {
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

// Memory between runs (migration 0013; src/store/memory.ts writes it, memory-keys.ts and
// expire-memory.ts delete from it): JSON values by key
// in a namespace, `workflow:<id>` or `shared:<name>`.
export const memory = sqliteTable(
  'memory',
  {
    namespace: text('namespace').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    writtenBy: text('written_by'),
    updatedAt: integer('updated_at').notNull(),
    expiresAt: integer('expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.namespace, t.key] }),
    index('memory_expires')
      .on(t.expiresAt)
      .where(sql`expires_at is not null`),
  ],
)

// The state of each enabled workflow's poll trigger (migration 0015; src/store/polls.ts writes
// it): the source's cursor, when to poll next, and the failures in a row.
export const pollState = sqliteTable(
  'poll_state',
  {
    workflowId: text('workflow_id').primaryKey(),
    workflowVersion: integer('workflow_version').notNull(),
    source: text('source').notNull(),
    triggerKey: text('trigger_key').notNull(),
    everyMs: integer('every_ms').notNull(),
    cursor: text('cursor'),
    skipExisting: integer('skip_existing').notNull().default(0),
    seq: integer('seq').notNull().default(0),
    claimId: text('claim_id'),
    nextPollAt: integer('next_poll_at').notNull(),
    lastPollAt: integer('last_poll_at'),
    lastFound: integer('last_found'),
    lastStarted: integer('last_started'),
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    failedRunId: text('failed_run_id'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('poll_state_due').on(t.nextPollAt)],
)

// Each workflow's pinned test payload (migration 0019; WITHOUT ROWID there): src/store/samples.ts.
export const workflowSamples = sqliteTable('workflow_samples', {
  workflowId: text('workflow_id').primaryKey(),
  input: text('input').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

// Each workflow's unpublished draft (migration 0020; WITHOUT ROWID there): src/store/drafts.ts.
export const workflowDrafts = sqliteTable('workflow_drafts', {
  workflowId: text('workflow_id').primaryKey(),
  definition: text('definition').notNull(),
  savedAt: integer('saved_at').notNull(),
})

// One row per "Test this step" (migration 0021; WITHOUT ROWID there): src/store/step-tests.ts.
// Only the verdict, never the config or output. Ids are UUIDv7: id order is test order.
export const stepTests = sqliteTable(
  'step_tests',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    workflowVersion: integer('workflow_version').notNull(),
    draft: integer('draft', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    durationMs: integer('duration_ms').notNull(),
    testedAt: integer('tested_at').notNull(),
  },
  (t) => [index('step_tests_node').on(t.workflowId, t.nodeId, t.id)],
)
