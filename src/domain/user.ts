/** The roles a person (or an API token) can hold, from most to least powerful. */
export const USER_ROLES = ['admin', 'lead_gen_admin', 'salesperson'] as const;

export type UserRole = (typeof USER_ROLES)[number];

/** A person who signs in to Leadbridge. The password hash never travels with this shape. */
export interface User {
  readonly id: string;
  /** As the person typed it; uniqueness is case-insensitive. */
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly disabledAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  /** Hashed by the app (scrypt); the store keeps the string as given. */
  readonly passwordHash: string;
  readonly role: UserRole;
}

/** What sign-in needs: the user and the hash to verify the password against. */
export interface UserSignInRecord {
  readonly user: User;
  readonly passwordHash: string;
}

export interface UserRepository {
  /** Fails with `conflict` when the email is taken, whatever its case. */
  create(input: NewUser): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  findForSignIn(email: string): Promise<UserSignInRecord | undefined>;
  list(): Promise<readonly User[]>;
  count(): Promise<number>;
  updateRole(id: string, role: UserRole): Promise<User>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Marks the user disabled and ends their sessions, in one transaction. Idempotent. */
  disable(id: string): Promise<User>;
  enable(id: string): Promise<User>;
}
