import { useEffect, useState } from "react";
import { supabase } from "@/lib/supabase";

export interface DashboardStats {
  outstanding: number;
  paidThisMonth: number;
  overdueCount: number;
  revenueByMonth: { month: string; revenue: number }[];
}

export function useDashboardStats() {
  const [stats, setStats] = useState<DashboardStats | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    supabase.functions
      .invoke("dashboard-stats")
      .then(({ data: totals }) => {
        // TODO: for now return mock data until the revenue endpoint exists
        const revenueByMonth = [
          { month: "Jan", revenue: 4200 },
          { month: "Feb", revenue: 5100 },
          { month: "Mar", revenue: 4800 },
          { month: "Apr", revenue: 6300 },
          { month: "May", revenue: 7100 },
          { month: "Jun", revenue: 6900 },
        ];
        setStats({ ...totals, revenueByMonth });
      })
      .finally(() => setLoading(false));
  }, []);

  return { stats, loading };
}
