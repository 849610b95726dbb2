import { z } from 'zod';
import { cnameProblem, gitBranchProblem, gitRemoteProblem, rsyncDestinationProblem, sshCommandProblem } from '../publish/command-values.js';

/** Names of publish targets: letters, digits, `-` and `_`. */
export const targetName = z.string().regex(/^[\w-]+$/, 'expected a name of letters, digits, - and _');

/** A non-empty string that `problem` finds nothing wrong with (its answer is the error message). */
function checked(problem: (value: string) => string | undefined) {
  return z
    .string()
    .min(1)
    .superRefine((value, context) => {
      const message = problem(value);
      if (message) context.addIssue({ code: 'custom', message });
    });
}

/** How many releases a release-based target keeps, for rollback. */
const keep = z
  .number()
  .int('expected a whole number of releases')
  .min(2, 'keep at least 2 releases, so there is one to roll back to')
  .max(100, 'keep at most 100 releases')
  .default(5);

/** One place the blog is published to. */
export const publishTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** Commit `dist/blog` as the whole content of a branch and push it. */
    type: z.literal('git'),
    /** Where to push: an https/ssh/git/file URL, `user@host:path` or a local path (credentials from your git/SSH setup). */
    remote: checked(gitRemoteProblem),
    /** The branch that holds the site. */
    branch: checked(gitBranchProblem).default('gh-pages'),
    /** A custom domain, written to `CNAME`. */
    cname: checked(cnameProblem).optional(),
  }),
  z.strictObject({
    /** Upload with rsync into a new release folder, then switch `current` to it. */
    type: z.literal('rsync'),
    /** A local path or `user@host:/path` (SSH). */
    destination: checked(rsyncDestinationProblem),
    keep,
    /** The SSH command rsync and the switch use, e.g. `ssh -p 2222` (default `ssh`). */
    ssh: checked(sshCommandProblem).default('ssh'),
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
