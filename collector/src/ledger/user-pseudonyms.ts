import { createHmac } from 'node:crypto';

/** Shortest operator key accepted (TOKENMETER_USER_ID_HMAC_KEY): a guessable key undoes the pseudonyms. */
export const MIN_USER_ID_KEY_LENGTH = 32;
/** Pseudonyms remembered, so that a user's many calls cost one HMAC; forgotten all at once when full. */
const REMEMBERED = 50_000;

/**
 * User ids as HMAC-SHA256(key, id) in lower-case hex: the same user always gets the same pseudonym,
 * so per-user figures still add up, but the ledger never holds the id itself, and without the key
 * nobody can tell which pseudonym is whose by hashing candidate ids.
 */
export class UserIdPseudonyms {
  private readonly remembered = new Map<string, string>();

  constructor(private readonly key: string) {
    if (key.length < MIN_USER_ID_KEY_LENGTH) {
      throw new Error(
        `TOKENMETER_USER_ID_HMAC_KEY must have at least ${MIN_USER_ID_KEY_LENGTH} characters (e.g. openssl rand -hex 32)`,
      );
    }
  }

  of(id: string): string {
    let pseudonym = this.remembered.get(id);
    if (pseudonym === undefined) {
      pseudonym = createHmac('sha256', this.key).update(id, 'utf8').digest('hex');
      if (this.remembered.size >= REMEMBERED) this.remembered.clear();
      this.remembered.set(id, pseudonym);
    }
    return pseudonym;
  }
}
