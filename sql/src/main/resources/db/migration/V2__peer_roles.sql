-- A peer's role in the network: 'peer' (a leaf), or 'supernode' once an admin promotes it (or
-- creates a supernode credential). Hard state: a restarted index server still knows its mesh.
ALTER TABLE peers ADD COLUMN role VARCHAR(16) DEFAULT 'peer' NOT NULL;
ALTER TABLE peers ADD CONSTRAINT peers_role_ck CHECK (role IN ('peer', 'supernode'));
