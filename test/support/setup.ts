import { env } from "cloudflare:workers";
import { applyMigrations } from "../../platform/migrations.ts";

await applyMigrations(env.DB, env.TEST_MIGRATIONS);
