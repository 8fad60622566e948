import { useEffect, useState } from "react";
import { toast } from "sonner";
import { supabase } from "@/lib/supabase";
import { useAuth } from "@/hooks/useAuth";
import type { Organization, Profile } from "@/types";

export default function Admin() {
  const { profile } = useAuth();
  const [orgs, setOrgs] = useState<Organization[]>([]);
  const [users, setUsers] = useState<Profile[]>([]);

  useEffect(() => {
    supabase.from("organizations").select("*").then(({ data }) => setOrgs(data ?? []));
    supabase.from("profiles").select("*").then(({ data }) => setUsers(data ?? []));
  }, []);

  const upgrade = async (orgId: string) => {
    const { error } = await supabase.from("organizations").update({ plan: "pro" }).eq("id", orgId);
    if (error) return toast.error(error.message);
    setOrgs((prev) => prev.map((o) => (o.id === orgId ? { ...o, plan: "pro" } : o)));
  };

  if (profile?.role !== "admin") {
    return <p className="text-sm text-gray-500">You do not have access to this page.</p>;
  }

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <section>
        <h2 className="mb-2 font-medium">Organizations ({orgs.length})</h2>
        {orgs.map((org) => (
          <div key={org.id} className="flex items-center justify-between border-b py-2 text-sm">
            <span>{org.name}</span>
            <span>{org.plan}</span>
            {org.plan === "free" && (
              <button className="text-indigo-600" onClick={() => upgrade(org.id)}>Upgrade to Pro</button>
            )}
          </div>
        ))}
      </section>
      <section>
        <h2 className="mb-2 font-medium">Users ({users.length})</h2>
        {users.map((u) => (
          <div key={u.id} className="border-b py-2 text-sm">
            {u.full_name ?? "—"} · {u.email} · {u.role}
          </div>
        ))}
      </section>
    </div>
  );
}
