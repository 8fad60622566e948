import { useState } from "react";
import { useCreateInvoice, useInvoices } from "@/hooks/useInvoices";
import { useCustomers } from "@/hooks/useCustomers";
import InvoiceTable from "@/components/InvoiceTable";
import InvoiceForm from "@/components/InvoiceForm";
import type { InvoiceStatus } from "@/types";

const filters: { label: string; value?: InvoiceStatus }[] = [
  { label: "All" },
  { label: "Draft", value: "draft" },
  { label: "Sent", value: "sent" },
  { label: "Overdue", value: "overdue" },
  { label: "Paid", value: "paid" },
];

export default function Invoices() {
  const [status, setStatus] = useState<InvoiceStatus | undefined>();
  const [showForm, setShowForm] = useState(false);
  const [customerId, setCustomerId] = useState("");
  const [dueDate, setDueDate] = useState("");
  const { data: invoices = [], isLoading } = useInvoices(status);
  const { data: customers = [] } = useCustomers();
  const createInvoice = useCreateInvoice();

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Invoices</h1>
        <button className="rounded bg-indigo-600 px-4 py-2 text-sm text-white" onClick={() => setShowForm((s) => !s)}>
          {showForm ? "Cancel" : "New invoice"}
        </button>
      </div>

      {showForm && (
        <div className="rounded-lg border p-4">
          <div className="mb-4 flex gap-4">
            <select className="rounded border px-2 py-1 text-sm" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
              <option value="">Select customer…</option>
              {customers.map((c) => (
                <option key={c.id} value={c.id}>{c.name}</option>
              ))}
            </select>
            <input type="date" className="rounded border px-2 py-1 text-sm" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
          </div>
          <InvoiceForm
            submitting={createInvoice.isPending}
            onSubmit={(values) =>
              createInvoice.mutate(
                { ...values, customer_id: customerId, due_date: dueDate },
                { onSuccess: () => setShowForm(false) },
              )
            }
          />
        </div>
      )}

      <div className="flex gap-2">
        {filters.map((f) => (
          <button
            key={f.label}
            onClick={() => setStatus(f.value)}
            className={`rounded-full px-3 py-1 text-xs ${status === f.value ? "bg-indigo-600 text-white" : "bg-gray-100"}`}
          >
            {f.label}
          </button>
        ))}
      </div>

      {isLoading ? <p className="text-sm text-gray-500">Loading…</p> : <InvoiceTable invoices={invoices} />}
    </div>
  );
}
