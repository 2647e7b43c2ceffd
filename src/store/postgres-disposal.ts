import {sql} from 'kysely'

import type {Store} from './store.js'

/**
 * PostgreSQL engine file: what a disposal needs from the server beyond DELETE. Deleted rows stay in a
 * table's heap pages (and its indexes) until the table is rewritten, and a rewrite's old files go only at the
 * next checkpoint; neither may be done by the records officer's own login (they need the table's owner and
 * the server's checkpoint privilege), so init installs one narrow function, owned by whoever ran init, that
 * rewrites the named custodian tables (CLUSTER on their primary key: a new file holding live rows only, its
 * indexes rebuilt), analyzes them again (the planner's statistics keep sample values) and checkpoints. Only
 * custodian's own tables may be named.
 */
export async function installDisposalFunctions(store: Store): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION custodian_rewrite_tables(tables text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
    DECLARE
      t text;
      pkey regclass;
    BEGIN
      FOREACH t IN ARRAY tables LOOP
        IF t !~ '^[a-z_]+$' OR to_regclass(t) IS NULL OR t IN ('audit_log', 'kysely_migration', 'kysely_migration_lock') THEN
          RAISE EXCEPTION 'custodian_rewrite_tables: % is not a table a disposal rewrites', t USING ERRCODE = '42501';
        END IF;
        SELECT indexrelid::regclass INTO pkey FROM pg_index WHERE indrelid = t::regclass AND indisprimary;
        IF pkey IS NULL THEN
          SELECT indexrelid::regclass INTO pkey FROM pg_index WHERE indrelid = t::regclass LIMIT 1;
        END IF;
        IF pkey IS NULL THEN
          RAISE EXCEPTION 'custodian_rewrite_tables: % has no index to rewrite it by', t;
        END IF;
        EXECUTE format('CLUSTER %I USING %s', t, pkey);
        -- The planner's statistics may hold sample values of the destroyed rows: computed again from what is left.
        EXECUTE format('ANALYZE %I', t);
      END LOOP;
      CHECKPOINT;
    END
    $fn$`.execute(store.db)
  await sql`REVOKE ALL ON FUNCTION custodian_rewrite_tables(text[]) FROM PUBLIC`.execute(store.db)
}

/**
 * Of the tables a disposal may have deleted from, those it did delete from in the current transaction (the
 * server's own count of this transaction's deletes): a table no row left keeps no destroyed byte, and is not
 * rewritten.
 */
export async function tablesDeletedFrom(store: Store, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return []
  const {rows} = await sql<{t: string}>`SELECT t FROM unnest(${[...tables]}::text[]) WITH ORDINALITY AS u(t, n)
    WHERE pg_stat_get_xact_tuples_deleted(to_regclass(t)) > 0 ORDER BY n`.execute(store.db)
  return rows.map((r) => r.t)
}
