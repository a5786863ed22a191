import Type from 'typebox';
import { REFERRAL_KINDS, STATUSES } from '../../modules/clusters/triage.service.js';
import { Patterned } from '../validation-messages.js';

/** Request and answer pieces the officer routes share. */

/** Why an officer acts: it goes into the audit log. */
export const Why = Type.String({ minLength: 3, maxLength: 2000, description: 'Why: goes into the audit log.' });

/** A value to judge, protect or look up, as a person would paste it. */
export const Value = Type.String({ minLength: 1, maxLength: 4096 });

/** A decimal count in a query string, of at most as many digits as `max` has (larger values are capped by the route). */
export const Count = (max: number) => {
  const digits = String(max).length;
  return Patterned(`^[0-9]{1,${digits}}$`, `a whole number of up to ${digits} digits`);
};

const Id = Patterned('^[1-9][0-9]{0,15}$', 'a whole number from 1, of up to 16 digits');
export const ClusterId = Type.Object({ id: Id });
export const ClusterFilter = Id;

/** Console user names; `me` and `none` also fit, for the queue's filter. */
const USERNAME = '^[a-z0-9][a-z0-9._-]{1,62}$';
const USERNAME_WORDS = 'a user name: 2 to 63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit';
export const Username = Patterned(USERNAME, USERNAME_WORDS);
export const AssignedFilter = Patterned(USERNAME, USERNAME_WORDS, { description: '`me`, `none` or a user name' });

export const StatusList = Patterned(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`, `one or more of ${STATUSES.join(', ')}, separated by commas`, {
  description: 'Comma-separated; default new,triaged',
});

export const Target = Type.Object({ kind: Type.Enum(REFERRAL_KINDS), name: Type.String({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false });
export const StatusAnswer = Type.Object({ status: Type.Enum(STATUSES) });
export const BulkAnswer = Type.Object({ reports: Type.Integer() });
