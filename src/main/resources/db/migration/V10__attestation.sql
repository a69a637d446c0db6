-- Attestation evidence that may be used once: a JWT's jti, a group-key proof. The primary
-- key refuses a second use, also when two nodes see the same evidence at the same moment.
-- Rows are kept until the evidence itself would have expired, then swept.
create table spent_evidence (
  method varchar(32) not null,
  evidence_key varchar(64) not null,
  expires_at timestamp with time zone not null,
  spent_at timestamp with time zone not null,
  primary key (method, evidence_key)
);
create index spent_evidence_expiry on spent_evidence (expires_at);

-- Server nonces a device signs (device certificate) or MACs (group key) to prove its key.
-- Only a hash is kept; a nonce is deleted when used and swept when it expires.
create table attestation_nonce (
  value_hash varchar(64) primary key,
  tenant varchar(64) not null,
  expires_at timestamp with time zone not null
);
create index attestation_nonce_expiry on attestation_nonce (expires_at);

-- Enrollment groups for symmetric-key attestation. The group key is kept encrypted
-- (AES-256-GCM under the data directory's key-encryption key).
create table enrollment_group (
  id varchar(36) primary key,
  tenant varchar(64) not null,
  profile varchar(64) not null,
  name varchar(128) not null,
  encrypted_key varchar(512) not null,
  created_by varchar(160) not null,
  created_at timestamp with time zone not null,
  disabled_at timestamp with time zone,
  constraint enrollment_group_name unique (tenant, profile, name)
);
