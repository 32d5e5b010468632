// The recursion check of env.db from the attacker's side: every spelling of an unbounded recursive CTE is
// refused before it reaches SQLite, and names inside strings, comments and quotes neither hide nor invent one.

import { describe, expect, it } from "vitest";
import { MAX_RECURSIVE_ROWS, unboundedRecursion } from "../../platform/sql-recursion.ts";

const refused = [
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c",
  "with c(x) as (select 1 union all select x+1 from c) select count(*) from c", // no RECURSIVE keyword
  'WITH "c" AS (SELECT 1 AS x UNION ALL SELECT x+1 FROM "c") SELECT count(*) FROM c', // quoted names
  "WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 1 UNION ALL SELECT 1 FROM [b]) SELECT * FROM b", // the second CTE
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 10) SELECT x FROM c", // a WHERE is not a LIMIT
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1e9) SELECT x FROM c",
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT -1) SELECT x FROM c",
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT (SELECT 5)) SELECT x FROM c",
  `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT ${MAX_RECURSIVE_ROWS} OFFSET 1) SELECT x FROM c`,
  "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c",
  "CREATE TABLE t (x); /* with */ WITH c(x) AS (SELECT 1 UNION ALL SELECT x FROM c) SELECT 1", // a script
];

const accepted = [
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT count(*) FROM c",
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 10 OFFSET 5) SELECT x FROM c",
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 5, 10) SELECT x FROM c",
  "WITH t AS (SELECT 1 AS x) SELECT * FROM t",
  "SELECT 'with c as (select 1 from c)'",
  "SELECT 1 -- with c as (select 1 from c)",
  "CREATE TABLE w (id INTEGER PRIMARY KEY) WITHOUT ROWID",
];

describe("recursive CTEs in env.db", () => {
  it.each(refused)("refuses %s", (sql) => expect(unboundedRecursion(sql)).toMatch(/LIMIT/));
  it.each(accepted)("accepts %s", (sql) => expect(unboundedRecursion(sql)).toBeNull());
});
