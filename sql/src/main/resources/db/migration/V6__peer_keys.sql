-- Each identity's Ed25519 public key (base64url of its X.509 encoding, 59 characters), registered
-- at its first join. Later joins, served tickets, receipts and reports are signed with the private
-- half, which only the peer holds. Identities from before this version have none: they cannot
-- rejoin (a join must be signed) and their agents take a new identity.
ALTER TABLE peers ADD COLUMN public_key VARCHAR(128);
