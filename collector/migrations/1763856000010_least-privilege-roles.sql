-- Up Migration
-- Least privilege (docs/contracts.md, "Database roles"): two group roles without login. The sink's
-- login role is a member of tokenmeter_writer; Grafana's and the report's of tokenmeter_reader.
-- `npm run migrate -w collector` creates those login roles when their passwords are configured
-- (collector/src/db/roles.ts). Roles belong to the whole server, so several ledgers on one server
-- share the two group roles; each database's migration grants them that database's objects only.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'tokenmeter_reader') THEN
    CREATE ROLE tokenmeter_reader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'tokenmeter_writer') THEN
    CREATE ROLE tokenmeter_writer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION
  -- Another database of the same server migrating at the same moment created it first.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$roles$;

-- Nobody but the owner creates objects in the ledger's schema or in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA tokenmeter FROM PUBLIC;
GRANT USAGE ON SCHEMA tokenmeter TO tokenmeter_reader, tokenmeter_writer;

-- Readers: SELECT on every table and view, now and later (the sink's daily partitions are created
-- by the owner through the SECURITY DEFINER function below, so the default privileges apply).
GRANT SELECT ON ALL TABLES IN SCHEMA tokenmeter TO tokenmeter_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter GRANT SELECT ON TABLES TO tokenmeter_reader;

-- The writer: rows only, never DDL. It upserts the rollups (UPDATE) and the day closing locks the
-- daily rollup in SHARE ROW EXCLUSIVE mode (which needs UPDATE or DELETE).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tokenmeter TO tokenmeter_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA tokenmeter TO tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter GRANT USAGE ON SEQUENCES TO tokenmeter_writer;

-- The three operations that need DDL (a new day's partition, retention, moving the closed-days
-- watermark, which redefines two views) run with the owner's rights, on a fixed search path, and
-- only the writer may call them.
ALTER FUNCTION tokenmeter.ensure_llm_calls_partition(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION tokenmeter.drop_llm_calls_partitions_before(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION tokenmeter.set_rollup_watermark(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tokenmeter FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tokenmeter TO tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter GRANT EXECUTE ON FUNCTIONS TO tokenmeter_writer;

-- Down Migration
-- The group roles stay: other ledgers on the same server may use them.
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter REVOKE EXECUTE ON FUNCTIONS FROM tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tokenmeter TO PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tokenmeter FROM tokenmeter_writer;
ALTER FUNCTION tokenmeter.set_rollup_watermark(date) SECURITY INVOKER RESET search_path;
ALTER FUNCTION tokenmeter.drop_llm_calls_partitions_before(date) SECURITY INVOKER RESET search_path;
ALTER FUNCTION tokenmeter.ensure_llm_calls_partition(date) SECURITY INVOKER RESET search_path;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter REVOKE USAGE ON SEQUENCES FROM tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM tokenmeter_writer;
REVOKE USAGE ON ALL SEQUENCES IN SCHEMA tokenmeter FROM tokenmeter_writer;
REVOKE SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tokenmeter FROM tokenmeter_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA tokenmeter REVOKE SELECT ON TABLES FROM tokenmeter_reader;
REVOKE SELECT ON ALL TABLES IN SCHEMA tokenmeter FROM tokenmeter_reader;
REVOKE USAGE ON SCHEMA tokenmeter FROM tokenmeter_reader, tokenmeter_writer;
-- CREATE on schema public stays revoked from PUBLIC (PostgreSQL's own default since 15).
