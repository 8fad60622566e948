import { supabase } from "@/lib/supabase";
import { useEffect, useState } from "react";
import { useAuth } from "@/hooks/useAuth";

export default function Settings() {
  const { profile } = useAuth();
  const [orgName, setOrgName] = useState("");

  useEffect(() => {
    if (!profile?.org_id) return;
    supabase
      .from("organizations")
      .select("name")
      .eq("id", profile.org_id)
      .single()
      .then(({ data }) => setOrgName(data?.name ?? ""));
  }, [profile?.org_id]);

  return (
    <div className="max-w-xl space-y-8">
      <h1 className="text-2xl font-semibold">Settings</h1>

      <section className="rounded-lg border p-4">
        <h2 className="font-medium">Organization</h2>
        <p className="text-sm text-gray-600">{orgName}</p>
      </section>
    </div>
  );
}
