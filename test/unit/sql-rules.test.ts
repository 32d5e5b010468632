// env.db's argument rules, the same whichever database is behind it: statement size in UTF-8 bytes, runaway
// recursion refused before it runs, parameter kinds and counts, batch bounds, and how result rows are counted.

import { describe, expect, it } from "vitest";
import {
  checkBatch,
  checkParams,
  checkSql,
  MAX_BATCH,
  MAX_PARAMS,
  MAX_SQL_BYTES,
  rowBytes,
} from "../../platform/sql-rules.ts";

describe("checkSql", () => {
  it("refuses empty and non-string SQL, and counts bytes, not characters", () => {
    for (const sql of ["", "   ", null, 1, {}]) expect(() => checkSql(sql), String(sql)).toThrow(TypeError);
    const padding = "é".repeat(MAX_SQL_BYTES / 2);
    expect(() => checkSql(`SELECT '${padding}'`)).toThrow(RangeError);
    expect(checkSql("SELECT 1")).toBe("SELECT 1");
  });

  it("refuses a recursive CTE without a literal bound, and keeps a bounded one", () => {
    expect(() =>
      checkSql("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"),
    ).toThrow(/sql_unbounded/);
    const bounded = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT count(*) FROM c";
    expect(checkSql(bounded)).toBe(bounded);
  });
});

describe("checkParams and checkBatch", () => {
  it("takes at most the documented number of values of the kinds SQLite binds", () => {
    expect(checkParams(undefined)).toEqual([]);
    expect(checkParams(["a", 1, true, null, new ArrayBuffer(1)])).toHaveLength(5);
    expect(() => checkParams(new Array(MAX_PARAMS + 1).fill(1))).toThrow(TypeError);
    for (const bad of [[{}], [undefined], [1n], [new Uint8Array(1)], "x"])
      expect(() => checkParams(bad)).toThrow(TypeError);
  });

  it("bounds batches and checks every statement in them", () => {
    expect(() => checkBatch([])).toThrow(TypeError);
    expect(() => checkBatch(new Array(MAX_BATCH + 1).fill({ sql: "SELECT 1" }))).toThrow(TypeError);
    expect(() => checkBatch([{ sql: "SELECT 1" }, { sql: "" }])).toThrow(TypeError);
    expect(checkBatch([{ sql: "SELECT ?", params: [1] }])).toEqual([{ sql: "SELECT ?", params: [1] }]);
  });
});

describe("rowBytes", () => {
  it("counts column names, string lengths, blob bytes and 8 bytes for anything else", () => {
    expect(rowBytes({ a: "xyz", bb: new ArrayBuffer(10), c: 5, d: null })).toBe(1 + 3 + 2 + 10 + 1 + 8 + 1 + 8);
  });
});
