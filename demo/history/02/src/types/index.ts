export type InvoiceStatus = "draft" | "pending" | "paid" | "overdue";

export interface InvoiceItem {
  id?: string;
  invoice_id?: string;
  description: string;
  quantity: number;
  unit_price: number;
}

export interface Invoice {
  id: string;
  org_id: string;
  number: string;
  customer_name: string;
  customer_email: string | null;
  status: InvoiceStatus;
  total: number;
  notes: string | null;
  due_date: string;
  created_at: string;
  invoice_items?: InvoiceItem[];
}

export interface Payment {
  id: string;
  invoice_id: string;
  amount: number;
  stripe_payment_intent: string | null;
  paid_at: string;
}

export interface Profile {
  id: string;
  org_id: string | null;
  full_name: string | null;
  email: string;
  role: string;
}
