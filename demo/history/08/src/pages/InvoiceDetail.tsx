import { useEffect, useState } from "react";
import { useParams } from "react-router-dom";
import { supabase } from "@/lib/supabase";
import InvoiceStatusBadge from "@/components/InvoiceStatusBadge";
import { formatCurrency, formatDate } from "@/lib/format";
import type { Invoice } from "@/types";

export default function InvoiceDetail() {
  const { id } = useParams();
  const [invoice, setInvoice] = useState<Invoice | null>(null);

  useEffect(() => {
    supabase
      .from("invoices")
      .select("*, invoice_items(*)")
      .eq("id", id)
      .single()
      .then(({ data }) => setInvoice(data as Invoice));
  }, [id]);

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
            {invoice.customer_name} · due {formatDate(invoice.due_date)}
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
              <td className="text-right">{formatCurrency(item.unit_price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-right text-lg font-semibold">{formatCurrency(invoice.total)}</p>

      {invoice.notes && <p className="text-sm text-gray-600">{invoice.notes}</p>}

      <div className="flex gap-2">
        {invoice.status !== "paid" && (
          <button className="rounded bg-indigo-600 px-4 py-2 text-sm text-white" onClick={payNow}>Pay with Stripe</button>
        )}
      </div>
    </div>
  );
}
