export type InvoiceStatus = "draft" | "sent" | "paid" | "overdue" | "void";

export interface Customer {
  id: string;
  org_id: string;
  name: string;
  email: string;
}

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
  customer_id: string;
  number: string;
  status: InvoiceStatus;
  currency: string;
  amount: number;
  tax_rate: number;
  discount: number;
  notes: string | null;
  due_date: string;
  created_at: string;
  customers?: Customer;
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
  role: "member" | "owner" | "admin";
}

export interface Organization {
  id: string;
  name: string;
  plan: "free" | "pro";
  stripe_customer_id: string | null;
}
