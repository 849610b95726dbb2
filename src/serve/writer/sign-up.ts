import type { SahifaDatabase } from '../../send/database.js';
import { enqueueConfirmation } from '../outbox/store.js';
import { requestSubscription } from '../subscriptions.js';

/** What a subscribe request writes. */
export interface SignUp {
  /** The normalised address. */
  address: string;
  /** The page the form was on, if known. */
  page?: string;
  /** The sentence the reader agreed to. */
  wording: string;
  /** Its language. */
  lang: string;
  /** When the confirmation link stops working, in seconds since 1970 (counted from the request). */
  expires: number;
  /** The sender's domain, for the Message-ID. */
  senderDomain: string;
}

/**
 * Records a sign-up (see `requestSubscription`) with its confirmation email
 * in the outbox, inside the caller's transaction: the pending subscriber
 * and the email owed to them are committed together, so an answer that
 * says "check your inbox" is never given for an email a crash could lose.
 *
 * @param db     The database.
 * @param signUp The request's data.
 * @returns Whether a confirmation email was queued (not for an active subscriber).
 */
export function recordSignUp(db: SahifaDatabase, signUp: SignUp): boolean {
  const recorded = requestSubscription(db, signUp.address, { page: signUp.page, wording: signUp.wording, lang: signUp.lang });
  // The link's token is sealed by the outbox's thread when it sends the email; its expiry counts from the request.
  if (recorded.send) enqueueConfirmation(db, signUp.address, recorded.nonce, signUp.expires, signUp.senderDomain);
  return recorded.send;
}

/** Where the subscribe requests' writes go. */
export interface SignUpWriter {
  /** Records a sign-up, committed with the others of its turn; resolves once committed with whether an email was queued. */
  record(signUp: SignUp): Promise<boolean>;
  /** Resolves once the writes given so far are done and nothing more is taken. */
  stop(): Promise<void>;
}
