-- The audit chain: each event gets a sequence number and a hash over its canonical form
-- and the previous hash, assigned after commit by one chainer. Signed checkpoints cover
-- the chain's head; the key that signs them is published here and in the data directory.
alter table audit_event add column seq bigint;
alter table audit_event add column prev_hash varchar(64);
alter table audit_event add column hash varchar(64);
create unique index audit_event_seq on audit_event (seq);

create table audit_checkpoint (
  seq bigint primary key,
  head_hash varchar(64) not null,
  checkpoint_time timestamp with time zone not null,
  key_id varchar(64) not null,
  signature varchar(1024) not null
);

create table audit_key (
  id varchar(64) primary key,
  public_key varchar(4096) not null,
  created_at timestamp with time zone not null
);
