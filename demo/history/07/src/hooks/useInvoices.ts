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
        .select("*")
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
  customer_name: string;
  due_date: string;
  tax_rate: number;
  notes: string;
  items: InvoiceItem[];
}

export function useCreateInvoice() {
  const { profile } = useAuth();
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: async (input: NewInvoice) => {
      const { total } = calculateInvoiceTotal(input.items, input.tax_rate);
      const { data: invoice, error } = await supabase
        .from("invoices")
        .insert({
          org_id: profile.org_id,
          customer_name: input.customer_name,
          due_date: input.due_date,
          notes: input.notes,
          total,
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
