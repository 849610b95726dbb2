import type { SahifaDatabase } from '../../send/database.js';
import { groupCommit, type GroupCommitOptions } from '../group-commit.js';
import { recordSignUp, type SignUp, type SignUpWriter } from './sign-up.js';

/**
 * Sign-ups written on this thread's connection, those of one turn in one
 * commit (see `groupCommit`): for a database the service was given (an
 * in-memory one in tests), which another thread cannot open.
 *
 * @param db      The database.
 * @param options How long a write may wait for the lock.
 */
export function localSignUps(db: SahifaDatabase, options: GroupCommitOptions): SignUpWriter {
  const commits = groupCommit(db, options);
  return {
    wakesOutbox: false,
    record: (signUp: SignUp) => commits.run(() => recordSignUp(db, signUp)),
    // Each write is awaited by its request, and the server waits for its requests before stopping this.
    stop: () => Promise.resolve(),
  };
}
