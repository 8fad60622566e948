import { useState } from "react";
import { Plus, Trash2 } from "lucide-react";
import { formatCurrency } from "@/lib/format";
import type { InvoiceItem } from "@/types";

interface LineItem extends InvoiceItem {
  key: string;
}

function getTotals(lineItems: InvoiceItem[], taxRate: number) {
  const subtotal = lineItems.reduce((acc, li) => acc + li.quantity * li.unit_price, 0);
  const tax = subtotal * (taxRate / 100);
  const total = subtotal + tax;
  return { subtotal, tax, total };
}

const newLine = (): LineItem => ({
  key: Math.random().toString(36).slice(2),
  description: "",
  quantity: 1,
  unit_price: 0,
});

interface Props {
  onSubmit: (values: { items: InvoiceItem[]; tax_rate: number }) => void;
  submitting?: boolean;
}

export default function InvoiceForm({ onSubmit, submitting }: Props) {
  const [items, setItems] = useState<LineItem[]>([newLine()]);
  const [taxRate, setTaxRate] = useState(0);
  const totals = getTotals(items, taxRate);

  const update = (key: string, patch: Partial<LineItem>) =>
    setItems((prev) => prev.map((li) => (li.key === key ? { ...li, ...patch } : li)));

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ items: items.map(({ key, ...rest }) => rest), tax_rate: taxRate });
      }}
    >
      {items.map((li) => (
        <div key={li.key} className="flex gap-2">
          <input className="flex-1 rounded border px-2 py-1" placeholder="Description" value={li.description}
            onChange={(e) => update(li.key, { description: e.target.value })} />
          <input className="w-20 rounded border px-2 py-1" type="number" value={li.quantity}
            onChange={(e) => update(li.key, { quantity: Number(e.target.value) })} />
          <input className="w-28 rounded border px-2 py-1" type="number" step="0.01" value={li.unit_price}
            onChange={(e) => update(li.key, { unit_price: parseFloat(e.target.value) })} />
          <button type="button" onClick={() => setItems((prev) => prev.filter((x) => x.key !== li.key))}>
            <Trash2 size={16} />
          </button>
        </div>
      ))}
      <button type="button" className="flex items-center gap-1 text-sm text-indigo-600" onClick={() => setItems((p) => [...p, newLine()])}>
        <Plus size={14} /> Add line
      </button>
      <div className="flex gap-4">
        <label className="text-sm">Tax %<input className="ml-2 w-16 rounded border px-2" type="number" value={taxRate} onChange={(e) => setTaxRate(Number(e.target.value))} /></label>
      </div>
      <div className="text-right text-sm">
        <div>Subtotal: {formatCurrency(totals.subtotal)}</div>
        <div>Tax: {formatCurrency(totals.tax)}</div>
        <div className="font-semibold">Total: {formatCurrency(totals.total)}</div>
      </div>
      <button disabled={submitting} className="rounded bg-indigo-600 px-4 py-2 text-sm text-white disabled:opacity-50">
        {submitting ? "Saving…" : "Create invoice"}
      </button>
    </form>
  );
}
