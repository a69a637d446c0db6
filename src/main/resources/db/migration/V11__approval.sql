-- What a profile's policy decided for an enrollment that waits (for the signer or for a
-- person): its roles, its names by type and its lifetime, as JSON. Null for enrollments
-- queued before policies existed, which the profile decides again.
alter table issuance_queue add column decision varchar(8192);

-- Room for the state awaiting_approval.
alter table enrollment alter column state set data type varchar(32);

-- Enrollments waiting for a person's approval. Everything but the decision is checked and
-- stored: the subject exists, the attestation is spent. Approving moves the enrollment to
-- the issuance queue in the same transaction; denying or expiry ends it.
create table approval (
  enrollment_id varchar(36) primary key references enrollment (id),
  tenant varchar(64) not null,
  profile varchar(64) not null,
  subject_id varchar(36) not null,
  external_id varchar(128) not null,
  csr varchar(65536) not null,
  method varchar(32) not null,
  claims varchar(8192) not null,
  decision varchar(8192) not null,
  request_id varchar(64),
  idempotency_key varchar(255),
  requested_by varchar(160) not null,
  state varchar(16) not null,
  created_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  decided_by varchar(160),
  decided_at timestamp with time zone,
  reason varchar(512)
);
create index approval_state on approval (state, expires_at);
