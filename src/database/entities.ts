import { Account } from '../accounts/account.entity';
import { Category } from '../categories/category.entity';
import { Item } from '../items/item.entity';
import { Location } from '../locations/location.entity';
import { RateLimit } from '../rate-limits/rate-limit.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';
import { PhoneVerification } from '../verifications/phone-verification.entity';
import { Verification } from '../verifications/verification.entity';

/** Every entity of the schema, listed as classes so that nothing depends on file globs. */
export const ENTITIES = [
  User,
  Session,
  Account,
  Verification,
  PhoneVerification,
  RateLimit,
  Category,
  Location,
  Item,
];
