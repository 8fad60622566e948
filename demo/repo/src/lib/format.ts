import { format, formatDistanceToNow } from "date-fns";

export function formatCurrency(amount: number, currency = "USD") {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
  }).format(amount);
}

export function formatDate(value: string) {
  return format(new Date(value), "MMM d, yyyy");
}

export function formatRelative(value: string) {
  return formatDistanceToNow(new Date(value), { addSuffix: true });
}

export function invoiceNumber(sequence: number, prefix = "INV") {
  return `${prefix}-${String(sequence).padStart(5, "0")}`;
}

export function isOverdue(dueDate: string, now: Date = new Date()) {
  return new Date(dueDate).getTime() < now.getTime();
}
