-- A join token may be bound to one subject (by external id): only that subject can use it,
-- and only such a token enrolls a subject that already exists.
alter table join_token add column external_id varchar(128);
