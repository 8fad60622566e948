import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";
import { useAuth } from "@/hooks/useAuth";
import type { Customer } from "@/types";

export function useCustomers() {
  const { profile } = useAuth();

  return useQuery({
    queryKey: ["customers", profile?.org_id],
    enabled: !!profile?.org_id,
    queryFn: async () => {
      const { data, error } = await supabase
        .from("customers")
        .select("id, org_id, name, email")
        .eq("org_id", profile.org_id)
        .order("name");
      if (error) throw error;
      return data as Customer[];
    },
  });
}
