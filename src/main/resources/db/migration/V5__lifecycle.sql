-- Lifecycle sweeps: when an offboarded subject's attributes were purged, and indexes for
-- the expiry sweep and the count of credentials due for renewal.
alter table subject add column purged_at timestamp with time zone;
create index subject_offboarded on subject (state, updated_at);
create index credential_expiry on credential (status, not_after);
create index credential_replaces on credential (replaces);
