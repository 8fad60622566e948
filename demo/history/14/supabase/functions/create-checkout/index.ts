import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
import { corsHeaders, json } from "../_shared/cors.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!, {
  apiVersion: "2023-10-16",
  httpClient: Stripe.createFetchHttpClient(),
});

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }

  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });

  const { invoiceId } = await req.json();

  const { data: invoice, error } = await supabase
    .from("invoices")
    .select("id, number, total, customer_email")
    .eq("id", invoiceId)
    .single();
  if (error || !invoice) {
    return json({ error: "Invoice not found" }, 404);
  }

  const amountInCents = Math.round(invoice.total * 100);

  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer_email: invoice.customer_email,
    line_items: [
      {
        price_data: {
          currency: "usd",
          product_data: { name: `Invoice ${invoice.number}` },
          unit_amount: amountInCents,
        },
        quantity: 1,
      },
    ],
    metadata: { invoice_id: invoice.id },
    success_url: `https://app.invoicely.io/invoices/${invoice.id}?paid=1`,
    cancel_url: `https://app.invoicely.io/invoices/${invoice.id}`,
  });

  return json({ url: session.url });
});
