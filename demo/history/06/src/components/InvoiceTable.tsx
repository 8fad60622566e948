import { Link } from "react-router-dom";
import InvoiceStatusBadge from "@/components/InvoiceStatusBadge";
import { formatCurrency, formatDate } from "@/lib/format";
import type { Invoice } from "@/types";

export default function InvoiceTable({ invoices }: { invoices: Invoice[] }) {
  return (
    <table className="w-full text-sm">
      <thead className="border-b text-left text-gray-500">
        <tr>
          <th className="py-2">Number</th>
          <th>Customer</th>
          <th>Due</th>
          <th>Status</th>
          <th className="text-right">Amount</th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id} className="border-b hover:bg-gray-50">
            <td className="py-2">
              <Link to={`/invoices/${invoice.id}`} className="text-indigo-600 hover:underline">
                {invoice.number}
              </Link>
            </td>
            <td>{invoice.customer_name}</td>
            <td>{formatDate(invoice.due_date)}</td>
            <td>
              <InvoiceStatusBadge status={invoice.status} />
            </td>
            <td className="text-right">{formatCurrency(invoice.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
