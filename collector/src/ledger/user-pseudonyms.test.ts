import { MIN_USER_ID_KEY_LENGTH, UserIdPseudonyms } from './user-pseudonyms';

// Expected values computed apart from Node's crypto, with Python's hmac module:
// hmac.new(KEY.encode(), id.encode(), hashlib.sha256).hexdigest()
const KEY = 'tokenmeter-test-key-0123456789abcdef';

describe('UserIdPseudonyms', () => {
  it('gives HMAC-SHA256(key, id) in hex, the same every time', () => {
    const pseudonyms = new UserIdPseudonyms(KEY);
    expect(pseudonyms.of('user-42')).toBe('56e3a2bac35c9006b6cfd093b51f87bc11340ad2834d2e5d3d62516d11beef94');
    expect(pseudonyms.of('ünïcødé ✓')).toBe('9bb85c1fe15a4ae01c591d558232ef3ecfdbc9b22671e91365c370685ac38a98');
    expect(pseudonyms.of('user-42')).toBe(pseudonyms.of('user-42'));
  });

  it('gives other pseudonyms under another key', () => {
    expect(new UserIdPseudonyms(`${KEY}-2`).of('user-42')).not.toBe(new UserIdPseudonyms(KEY).of('user-42'));
  });

  it('refuses a key shorter than the minimum, saying how to make one', () => {
    expect(() => new UserIdPseudonyms('x'.repeat(MIN_USER_ID_KEY_LENGTH - 1))).toThrow(/at least 32 characters .*openssl rand/);
  });
});
