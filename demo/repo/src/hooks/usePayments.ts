import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";
import type { Payment } from "@/types";

export function usePayments(invoiceId: string) {
  return useQuery({
    queryKey: ["payments", invoiceId],
    queryFn: async () => {
      const { data, error } = await supabase
        .from("payments")
        .select("id, invoice_id, amount, stripe_payment_intent, paid_at")
        .eq("invoice_id", invoiceId)
        .order("paid_at", { ascending: false })
        .limit(50);
      if (error) throw error;
      return data as Payment[];
    },
  });
}
