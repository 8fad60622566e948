import { corsHeaders, json } from "../_shared/cors.ts";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }

  const token = req.headers.get("Authorization")?.replace("Bearer ", "");
  const { data: { user } } = await supabaseAdmin.auth.getUser(token);
  if (!user) {
    return json({ error: "Unauthorized" }, 401);
  }

  const id = new URL(req.url).searchParams.get("id");

  const { data: invoice, error } = await supabaseAdmin
    .from("invoices")
    .select("*, customers(name, email), invoice_items(*)")
    .eq("id", id)
    .single();

  if (error) {
    return json({ error: error.message }, 404);
  }

  return json(invoice);
});
