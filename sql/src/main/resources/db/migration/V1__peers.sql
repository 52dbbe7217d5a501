-- Peer identities: one row per peer that ever joined. Written at join, touched on heartbeat.
-- Portable between H2 2.x and PostgreSQL 15. Timestamps are UTC epoch milliseconds (BIGINT),
-- so an Instant round-trips exactly on both databases whatever the server or JVM time zone.
CREATE TABLE peers (
    id             VARCHAR(64)  NOT NULL,
    name           VARCHAR(255) NOT NULL,
    token_hash     VARCHAR(128) NOT NULL,
    last_ip        VARCHAR(64)  NOT NULL,
    last_port      INTEGER      NOT NULL,
    firewalled     BOOLEAN      NOT NULL,
    capacity_kibps BIGINT       NOT NULL,
    first_seen_ms  BIGINT       NOT NULL,
    last_seen_ms   BIGINT       NOT NULL,
    CONSTRAINT peers_pk PRIMARY KEY (id),
    CONSTRAINT peers_token_hash_uk UNIQUE (token_hash),
    CONSTRAINT peers_last_port_ck CHECK (last_port BETWEEN 0 AND 65535),
    CONSTRAINT peers_capacity_ck CHECK (capacity_kibps >= 0)
);
