/** A botgate user as another adapter sees it: enough to sign one in and to check a token later. */
export interface DirectoryUser {
  id: number;
  username: string;
  role: string;
  /** Moves with every change of the user's role or credentials: a token issued under another is ended. */
  accessStamp: string;
}

/**
 * The server's users (`botgate users`), kept by the one adapter that has them and lent to the
 * others through the server, so that a vendor's password sign-in (an `Account/Authenticate`)
 * takes the same users, the same password check and the same limit on failures.
 */
export interface UserDirectory {
  /**
   * The user the password proves. Throws an `HttpError` UNAUTHORIZED when it proves none, and
   * TOO_MANY_REQUESTS (with Retry-After) after too many failures for the user or the address.
   */
  signIn(username: string, password: string, address: string | undefined): Promise<DirectoryUser>;
  /** The user as it is now; undefined once removed. */
  find(id: number): Promise<DirectoryUser | undefined>;
}
