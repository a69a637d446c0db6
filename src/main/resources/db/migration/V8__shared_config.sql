-- The configuration last reloaded on any node, so that every node sharing the store
-- applies a change made on one of them.
create table shared_config (
  id integer primary key,
  yaml varchar(1000000) not null,
  sha256 varchar(64) not null,
  updated_at timestamp with time zone not null
);
