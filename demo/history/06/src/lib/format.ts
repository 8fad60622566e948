import { format } from "date-fns";

export function formatCurrency(amount: number, currency = "USD") {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
  }).format(amount);
}

export function formatDate(value: string) {
  return format(new Date(value), "MMM d, yyyy");
}
