// The cron expressions a main file exports as `schedule`: `export const schedule = "*/5 * * * *"`, an array of
// such strings, or a binding exported by name (`var schedule = "..."; export { schedule }`, as bundlers
// write it). An exported schedule the scan cannot read is "dynamic": the platform then schedules nothing.

import type { AnyNode, Program } from "acorn";
import * as walk from "acorn-walk";
import { addPatternNames } from "./static-strings.ts";

export interface ScheduleExport {
  schedules: string[];
  dynamic: boolean;
}

const NONE: ScheduleExport = { schedules: [], dynamic: false };
const DYNAMIC: ScheduleExport = { schedules: [], dynamic: true };

export function readSchedule(program: Program): ScheduleExport {
  let local: string | null = null;
  for (const stmt of program.body) {
    if (stmt.type !== "ExportNamedDeclaration") continue;
    if (stmt.declaration?.type === "VariableDeclaration") {
      for (const d of stmt.declaration.declarations) {
        if (d.id.type === "Identifier" && d.id.name === "schedule")
          return stmt.declaration.kind === "const" ? scheduleOf(d.init) : DYNAMIC;
      }
    }
    if (stmt.declaration?.type === "FunctionDeclaration" && stmt.declaration.id.name === "schedule") return DYNAMIC;
    for (const spec of stmt.specifiers) {
      const exported = spec.exported.type === "Identifier" ? spec.exported.name : String(spec.exported.value);
      if (exported !== "schedule") continue;
      if (stmt.source || spec.local.type !== "Identifier") return DYNAMIC;
      local = spec.local.name;
    }
  }
  if (local === null) return NONE;
  // Exported by name: one top-level declaration of it, assigned nowhere else.
  const inits: (AnyNode | null | undefined)[] = [];
  for (const stmt of program.body) {
    if (stmt.type !== "VariableDeclaration") continue;
    for (const d of stmt.declarations) if (d.id.type === "Identifier" && d.id.name === local) inits.push(d.init);
  }
  if (inits.length !== 1 || isReassigned(program, local)) return DYNAMIC;
  return scheduleOf(inits[0]);
}

function scheduleOf(init: AnyNode | null | undefined): ScheduleExport {
  const text = literalText(init);
  if (text !== null) return { schedules: [text], dynamic: false };
  if (init?.type === "ArrayExpression") {
    const items = init.elements.map((e) => literalText(e));
    if (items.every((t): t is string => t !== null)) return { schedules: items, dynamic: false };
  }
  return DYNAMIC;
}

function literalText(node: AnyNode | null | undefined): string | null {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/** Whether any assignment or update in the program targets the name (in any scope: conservative). */
function isReassigned(program: Program, name: string): boolean {
  const names = new Set<string>();
  walk.simple(program, {
    AssignmentExpression: (node) => addPatternNames(node.left, names),
    UpdateExpression: (node) => addPatternNames(node.argument, names),
  });
  return names.has(name);
}
