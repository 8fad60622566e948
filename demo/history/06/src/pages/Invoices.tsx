import { useState } from "react";
import { useInvoices } from "@/hooks/useInvoices";
import InvoiceTable from "@/components/InvoiceTable";
import type { InvoiceStatus } from "@/types";

const filters: { label: string; value?: InvoiceStatus }[] = [
  { label: "All" },
  { label: "Draft", value: "draft" },
  { label: "Pending", value: "pending" },
  { label: "Paid", value: "paid" },
];

export default function Invoices() {
  const [status, setStatus] = useState<InvoiceStatus | undefined>();
  const { data: invoices = [] } = useInvoices(status);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Invoices</h1>

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

      <InvoiceTable invoices={invoices} />
    </div>
  );
}
