import dayjs from "dayjs";
import { useDashboardStats } from "@/hooks/useDashboardStats";
import { useInvoices } from "@/hooks/useInvoices";
import RevenueChart from "@/components/RevenueChart";
import InvoiceTable from "@/components/InvoiceTable";
import { formatCurrency } from "@/lib/format";

export default function Dashboard() {
  const { stats, loading } = useDashboardStats();
  const { data: overdue = [] } = useInvoices("overdue");

  if (loading || !stats) {
    return <p className="text-sm text-gray-500">Loading dashboard…</p>;
  }

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <p className="text-sm text-gray-500">{dayjs().format("dddd, MMMM D")}</p>
      </div>
      <div className="grid grid-cols-3 gap-4">
        <Stat label="Outstanding" value={formatCurrency(stats.outstanding)} />
        <Stat label="Paid this month" value={formatCurrency(stats.paidThisMonth)} />
        <Stat label="Overdue invoices" value={String(stats.overdueCount)} />
      </div>
      <RevenueChart data={stats.revenueByMonth} />
      <section>
        <h2 className="mb-2 text-lg font-medium">Overdue</h2>
        <InvoiceTable invoices={overdue} />
      </section>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border p-4">
      <p className="text-xs uppercase text-gray-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
    </div>
  );
}
