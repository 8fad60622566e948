import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!, {
  apiVersion: "2023-10-16",
  httpClient: Stripe.createFetchHttpClient(),
});

Deno.serve(async (req) => {
  const body = await req.text();
  const event = JSON.parse(body);

  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const invoiceId = session.metadata?.invoice_id;

      await supabaseAdmin.from("invoices").update({ status: "paid" }).eq("id", invoiceId);

      await supabaseAdmin.from("payments").insert({
        invoice_id: invoiceId,
        amount: (session.amount_total ?? 0) / 100,
        stripe_payment_intent: session.payment_intent,
      });
      break;
    }

    case "checkout.session.expired": {
      const session = event.data.object;
      await supabaseAdmin
        .from("invoices")
        .update({ status: "pending" })
        .eq("id", session.metadata?.invoice_id);
      break;
    }

    default:
      console.log(`Unhandled event type ${event.type}`);
  }

  return new Response(JSON.stringify({ received: true }), {
    headers: { "Content-Type": "application/json" },
  });
});
