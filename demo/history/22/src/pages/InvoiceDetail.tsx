import { useEffect, useState } from "react";
import { useParams } from "react-router-dom";
import { toast } from "sonner";
import { supabase } from "@/lib/supabase";
import { useAuth } from "@/hooks/useAuth";
import InvoiceStatusBadge from "@/components/InvoiceStatusBadge";
import { formatCurrency, formatDate } from "@/lib/format";
import type { Invoice } from "@/types";

export default function InvoiceDetail() {
  const { id } = useParams();
  const { user } = useAuth();
  const [invoice, setInvoice] = useState<Invoice | null>(null);

  useEffect(() => {
    supabase.functions
      .invoke(`get-invoice?id=${id}`, { method: "GET" })
      .then(({ data }) => setInvoice(data));
  }, [id]);

  const markAsSent = () => {
    supabase.from("invoices").update({ status: "sent" }).eq("id", id);
    supabase.from("audit_log").insert({ actor_id: user.id, action: "invoice.sent", entity_id: id });
    setInvoice((prev) => ({ ...prev, status: "sent" }));
    toast.success("Invoice marked as sent");
  };

  const payNow = async () => {
    const { data } = await supabase.functions.invoke("create-checkout", { body: { invoiceId: id } });
    window.location.href = data.url;
  };

  if (!invoice) return <p className="text-sm text-gray-500">Loading…</p>;

  return (
    <div className="max-w-3xl space-y-6">
      <div className="flex items-center justify-between">
        <div>
          <h1 className="text-2xl font-semibold">{invoice.number}</h1>
          <p className="text-sm text-gray-500">
            {invoice.customers?.name} · due {formatDate(invoice.due_date)}
          </p>
        </div>
        <InvoiceStatusBadge status={invoice.status} />
      </div>

      <table className="w-full text-sm">
        <tbody>
          {invoice.invoice_items?.map((item) => (
            <tr key={item.id} className="border-b">
              <td className="py-2">{item.description}</td>
              <td>{item.quantity} ×</td>
              <td className="text-right">{formatCurrency(item.unit_price, invoice.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-right text-lg font-semibold">{formatCurrency(invoice.amount, invoice.currency)}</p>

      {invoice.notes && (
        <div className="prose prose-sm rounded bg-gray-50 p-4" dangerouslySetInnerHTML={{ __html: invoice.notes }} />
      )}

      <div className="flex gap-2">
        {invoice.status === "draft" && (
          <button className="rounded border px-4 py-2 text-sm" onClick={markAsSent}>Mark as sent</button>
        )}
        {invoice.status !== "paid" && (
          <button className="rounded bg-indigo-600 px-4 py-2 text-sm text-white" onClick={payNow}>Pay with Stripe</button>
        )}
      </div>
    </div>
  );
}
