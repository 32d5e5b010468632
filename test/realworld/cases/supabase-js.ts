// @supabase/supabase-js: a PostgREST query built by the client, sent through the platform's egress to the test
// upstream's echo (the client's `global.fetch` option), so the answer shows the request it made.
import { createClient } from "@supabase/supabase-js";

let sentTo = "";
const supabase = createClient("https://project.supabase.example", "anon-key-123", {
  auth: { persistSession: false, autoRefreshToken: false },
  global: {
    fetch: (url, init) => {
      sentTo = String(url);
      return fetch("https://upstream.test/echo", init);
    },
  },
});

export default async function run() {
  const { data, error } = await supabase.from("todos").select("id,title").eq("done", false).limit(5);
  const echo = data as unknown as { method: string; headers: Record<string, string> };
  return { sentTo: decodeURIComponent(sentTo), error, method: echo.method, apikey: echo.headers.apikey };
}
