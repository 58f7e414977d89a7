import { z } from 'zod'
import { createIssue, github } from '../src/clients/github'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'github-create-issue',
  title: 'GitHub: create an issue',
  description:
    'Opens an issue in a GitHub repository, with labels, assignees and a milestone when given ' +
    '(GitHub drops those the token may not set). Returns the issue number and URL.',
  service: github,
  sample: {
    config: {
      credential: 'github',
      owner: 'octocat',
      repo: 'hello-world',
      title: 'Found a bug',
      body: "I'm having a problem with this.",
      labels: ['bug'],
    },
    input: {},
  },
  config: z.object({
    owner: z.string().min(1).max(100).describe('The account that owns the repository'),
    repo: z.string().min(1).max(100).describe('The repository name, without .git'),
    title: z.string().min(1).describe('The title'),
    body: z.string().max(65_536).optional().describe('The text, in Markdown'),
    labels: z.array(z.string().min(1)).max(100).optional().describe('Label names'),
    assignees: z.array(z.string().min(1)).max(10).optional().describe('Logins to assign'),
    milestone: z.number().int().positive().optional().describe("The milestone's number"),
  }),
  async run(_input, ctx) {
    const issue = await createIssue(await ctx.credential(), ctx.config, ctx.signal)
    return { number: issue.number, id: issue.id, url: issue.html_url, state: issue.state }
  },
})
