import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
import { corsHeaders, json } from "../_shared/cors.ts";

const CACHE_TTL_MS = 60_000;
const cache = new Map<string, { value: unknown; expires: number }>();

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }

  const cached = cache.get("dashboard-stats");
  if (cached && cached.expires > Date.now()) {
    return json(cached.value);
  }

  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });

  const { data: invoices, error } = await supabase.from("invoices").select("amount, status, created_at");
  if (error) {
    return json({ error: error.message }, 500);
  }

  const monthStart = new Date();
  monthStart.setDate(1);
  const stats = {
    outstanding: invoices
      .filter((i) => i.status === "sent" || i.status === "overdue")
      .reduce((sum, i) => sum + i.amount, 0),
    paidThisMonth: invoices
      .filter((i) => i.status === "paid" && new Date(i.created_at) >= monthStart)
      .reduce((sum, i) => sum + i.amount, 0),
    overdueCount: invoices.filter((i) => i.status === "overdue").length,
  };

  cache.set("dashboard-stats", { value: stats, expires: Date.now() + CACHE_TTL_MS });
  return json(stats);
});
