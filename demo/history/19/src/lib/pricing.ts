import type { InvoiceItem } from "@/types";

export interface InvoiceTotals {
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export function calculateInvoiceTotal(
  items: InvoiceItem[],
  taxRate: number,
  discountPercent = 0,
): InvoiceTotals {
  const subtotal = items.reduce(
    (sum, item) => sum + item.quantity * item.unit_price,
    0,
  );
  const discount = subtotal * (discountPercent / 100);
  const tax = subtotal * (taxRate / 100);
  const total = Math.round((subtotal - discount + tax) * 100) / 100;
  return { subtotal, discount, tax, total };
}
