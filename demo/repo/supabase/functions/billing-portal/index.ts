import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { corsHeaders, json } from "../_shared/cors.ts";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY") as string, {
  apiVersion: "2023-10-16",
  httpClient: Stripe.createFetchHttpClient(),
  timeout: 10_000,
  maxNetworkRetries: 2,
});

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }

  const authHeader = req.headers.get("Authorization");
  if (!authHeader) {
    return json({ error: "Missing authorization header" }, 401);
  }

  const { data: { user }, error: authError } = await supabaseAdmin.auth.getUser(
    authHeader.replace("Bearer ", ""),
  );
  if (authError || !user) {
    return json({ error: "Unauthorized" }, 401);
  }

  const { data: profile, error } = await supabaseAdmin
    .from("profiles")
    .select("org_id, organizations(stripe_customer_id)")
    .eq("id", user.id)
    .single();
  if (error || !profile?.organizations?.stripe_customer_id) {
    return json({ error: "No billing account for this organization" }, 404);
  }

  try {
    const session = await stripe.billingPortal.sessions.create({
      customer: profile.organizations.stripe_customer_id,
      return_url: `${Deno.env.get("APP_URL")}/settings`,
    });
    return json({ url: session.url });
  } catch (err) {
    console.error("billing-portal: stripe error", { userId: user.id, message: err.message });
    return json({ error: "Could not open the billing portal" }, 502);
  }
});
