import fc from 'fast-check';

// Characters that end or bend a quoted string in SQL, PromQL or a regex, separate list items, or
// are not ASCII: the names a service or model may carry and every filter must still match.
const HOSTILE_CHARACTERS = [...`'"\\,{}()[]|.*+?$^/-;=~% éß中🙂`, 'a', 'b'];

/** A 1–12 character name made of hostile characters (fast-check arbitrary). */
export const hostileName = fc.string({
  unit: fc.constantFrom(...HOSTILE_CHARACTERS),
  minLength: 1,
  maxLength: 12,
});
