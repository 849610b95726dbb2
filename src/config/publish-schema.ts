import { z } from 'zod';

/** Names of publish targets: letters, digits, `-` and `_`. */
export const targetName = z.string().regex(/^[\w-]+$/, 'expected a name of letters, digits, - and _');

/** How many releases a release-based target keeps, for rollback. */
const keep = z.number().int().min(2, 'keep at least 2 releases, so there is one to roll back to').default(5);

/** One place the blog is published to. */
export const publishTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** Commit `dist/blog` as the whole content of a branch and push it. */
    type: z.literal('git'),
    /** Where to push: a URL or path git understands (credentials from your git/SSH setup). */
    remote: z.string().min(1),
    /** The branch that holds the site. */
    branch: z.string().regex(/^[\w./-]+$/, 'expected a branch name such as "gh-pages"').default('gh-pages'),
    /** A custom domain, written to `CNAME`. */
    cname: z.string().regex(/^[a-z0-9.-]+$/i, 'expected a host name such as "blog.example.org"').optional(),
  }),
  z.strictObject({
    /** Upload with rsync into a new release folder, then switch `current` to it. */
    type: z.literal('rsync'),
    /** A local path or `user@host:/path` (SSH). */
    destination: z.string().min(1),
    keep,
    /** The SSH command rsync and the switch use, e.g. `ssh -p 2222` (default `ssh`). */
    ssh: z.string().min(1).default('ssh'),
  }),
  z.strictObject({
    /** Copy into a new release folder of a local web root, then switch `current` to it. */
    type: z.literal('dir'),
    /** The web root's folder; `current` inside it is what the server serves. */
    path: z.string().min(1),
    keep,
  }),
]);

/** A publish target after validation. */
export type PublishTarget = z.output<typeof publishTargetSchema>;
