-- Enrollment surges flagged per profile and source network. A row is active until an
-- admin clears it; while it is, the profile's action (alert, approval, quarantine) applies
-- to new enrollments from that network.
create table anomaly (
  id varchar(36) primary key,
  tenant varchar(64) not null,
  profile varchar(64) not null,
  network varchar(64) not null,
  action varchar(16) not null,
  detected_at timestamp with time zone not null,
  baseline double precision not null,
  observed bigint not null,
  cleared_at timestamp with time zone,
  cleared_by varchar(160)
);
create index anomaly_active on anomaly (cleared_at, tenant);
