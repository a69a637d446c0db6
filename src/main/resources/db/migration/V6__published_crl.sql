-- The newest CRL of each issuer, so that every node sharing the store serves the same one.
create table published_crl (
  issuer_id varchar(32) primary key,
  crl_number bigint not null,
  this_update timestamp with time zone not null,
  der bytea not null
);
