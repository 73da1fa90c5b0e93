"""Sign-in, sessions, passwords, invitations and the user's own profile."""
