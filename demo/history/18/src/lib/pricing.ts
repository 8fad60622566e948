import type { InvoiceItem } from "@/types";

export interface InvoiceTotals {
  subtotal: number;
  tax: number;
  total: number;
}

export function calculateInvoiceTotal(
  items: InvoiceItem[],
  taxRate: number,
): InvoiceTotals {
  const subtotal = items.reduce(
    (sum, item) => sum + item.quantity * item.unit_price,
    0,
  );
  const tax = subtotal * (taxRate / 100);
  const total = Math.round((subtotal + tax) * 100) / 100;
  return { subtotal, tax, total };
}
