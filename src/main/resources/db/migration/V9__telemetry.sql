-- Telemetry binding: when a subject last reported over its own credential, and by when it
-- must report again (its profile's allowance) before it is listed as silent.
alter table subject add column last_heartbeat_at timestamp with time zone;
alter table subject add column telemetry_deadline timestamp with time zone;
create index subject_telemetry on subject (state, telemetry_deadline);
