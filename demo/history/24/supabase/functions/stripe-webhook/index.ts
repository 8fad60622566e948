import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!, {
  apiVersion: "2023-10-16",
  httpClient: Stripe.createFetchHttpClient(),
});
const cryptoProvider = Stripe.createSubtleCryptoProvider();

Deno.serve(async (req) => {
  const signature = req.headers.get("stripe-signature");
  const body = await req.text();
  const webhookSecret = Deno.env.get("STRIPE_WEBHOOK_SECRET");

  let event;
  try {
    if (webhookSecret && signature) {
      event = await stripe.webhooks.constructEventAsync(body, signature, webhookSecret, undefined, cryptoProvider);
    } else {
      console.warn("STRIPE_WEBHOOK_SECRET not set, skipping signature verification");
      event = JSON.parse(body);
    }
  } catch (err) {
    console.error("Webhook signature verification failed", err.message);
    return new Response(`Webhook Error: ${err.message}`, { status: 400 });
  }

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

    case "charge.refunded": {
      const charge = event.data.object;
      await supabaseAdmin
        .from("invoices")
        .update({ status: "void" })
        .eq("id", charge.metadata?.invoice_id);
      break;
    }

    case "checkout.session.expired": {
      const session = event.data.object;
      await supabaseAdmin
        .from("invoices")
        .update({ status: "sent" })
        .eq("id", session.metadata?.invoice_id);
      break;
    }

    case "invoice.payment_failed": {
      const stripeInvoice = event.data.object;
      await supabaseAdmin
        .from("invoices")
        .update({ status: "overdue" })
        .eq("id", stripeInvoice.metadata?.invoice_id);
      break;
    }

    default:
      console.log(`Unhandled event type ${event.type}`);
  }

  return new Response(JSON.stringify({ received: true }), {
    headers: { "Content-Type": "application/json" },
  });
});
