import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";
import { useAuth } from "@/hooks/useAuth";
import { calculateInvoiceTotal } from "@/lib/pricing";
import type { Invoice, InvoiceItem, InvoiceStatus } from "@/types";

export function useInvoices(status?: InvoiceStatus) {
  const { profile } = useAuth();
  const orgId = profile?.org_id;

  return useQuery({
    queryKey: ["invoices", orgId, status],
    enabled: !!orgId,
    queryFn: async () => {
      let query = supabase
        .from("invoices")
        .select("*, customers(name, email)")
        .eq("org_id", orgId)
        .order("created_at", { ascending: false });
      if (status) query = query.eq("status", status);
      const { data, error } = await query;
      if (error) throw error;
      return data as Invoice[];
    },
  });
}

interface NewInvoice {
  customer_id: string;
  due_date: string;
  tax_rate: number;
  discount: number;
  notes: string;
  items: InvoiceItem[];
}

export function useCreateInvoice() {
  const { profile } = useAuth();
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: async (input: NewInvoice) => {
      const { total } = calculateInvoiceTotal(input.items, input.tax_rate, input.discount);
      const { data: invoice, error } = await supabase
        .from("invoices")
        .insert({
          org_id: profile.org_id,
          customer_id: input.customer_id,
          due_date: input.due_date,
          tax_rate: input.tax_rate,
          discount: input.discount,
          notes: input.notes,
          amount: total,
          status: "draft",
        })
        .select()
        .single();
      if (error) throw error;

      return invoice as Invoice;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["invoices"] }),
  });
}
