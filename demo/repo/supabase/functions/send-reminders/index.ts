import { Resend } from "npm:resend";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const resend = new Resend(Deno.env.get("RESEND_API_KEY"));

Deno.serve(async () => {
  const today = new Date().toISOString().slice(0, 10);

  const { data: invoices } = await supabaseAdmin
    .from("invoices")
    .select("id, number, amount, currency, due_date, customers(name, email)")
    .in("status", ["sent", "overdue"])
    .lt("due_date", today)
    .is("reminder_sent_at", null);

  let sent = 0;
  for (const invoice of invoices ?? []) {
    try {
      await resend.emails.send({
        from: "Invoicely <billing@invoicely.io>",
        to: invoice.customers.email,
        subject: `Reminder: invoice ${invoice.number} is overdue`,
        html: `<p>Hi ${invoice.customers.name},</p>
          <p>Invoice ${invoice.number} for ${invoice.amount} ${invoice.currency.toUpperCase()}
          was due on ${new Date(invoice.due_date).toLocaleDateString()}.</p>`,
      });

      await supabaseAdmin
        .from("invoices")
        .update({ status: "overdue", reminder_sent_at: new Date().toISOString() })
        .eq("id", invoice.id);
      sent++;
    } catch (e) {
      console.log(e);
    }
  }

  return new Response(JSON.stringify({ sent }), {
    headers: { "Content-Type": "application/json" },
  });
});
