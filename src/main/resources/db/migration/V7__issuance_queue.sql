-- Enrollments accepted while the signer was down: everything but the signature is decided
-- and stored (subject, spent token, pending enrollment); a worker on any node signs them
-- when the signer is back, taking rows with FOR UPDATE SKIP LOCKED.
create table issuance_queue (
  enrollment_id varchar(36) primary key references enrollment (id),
  tenant varchar(64) not null,
  profile varchar(64) not null,
  subject_id varchar(36) not null,
  csr varchar(65536) not null,
  method varchar(32) not null,
  claims varchar(8192) not null,
  request_id varchar(64),
  idempotency_key varchar(255),
  queued_at timestamp with time zone not null
);
create index issuance_queue_order on issuance_queue (queued_at);
