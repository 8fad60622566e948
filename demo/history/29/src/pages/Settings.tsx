import { useState } from "react";
import { toast } from "sonner";
import { useOrganization } from "@/hooks/useOrganization";
import { useAuth } from "@/hooks/useAuth";
import { createInvite } from "@/lib/invites";

export default function Settings() {
  const { profile } = useAuth();
  const { data: org } = useOrganization();
  const [inviteEmail, setInviteEmail] = useState("");
  const [inviteLink, setInviteLink] = useState<string | null>(null);

  const sendInvite = async () => {
    try {
      const link = await createInvite(profile.org_id, inviteEmail);
      setInviteLink(link);
      setInviteEmail("");
    } catch (err: any) {
      toast.error(err.message);
    }
  };

  return (
    <div className="max-w-xl space-y-8">
      <h1 className="text-2xl font-semibold">Settings</h1>

      <section className="rounded-lg border p-4">
        <h2 className="font-medium">Organization</h2>
        <p className="text-sm text-gray-600">{org?.name}</p>
        <p className="text-sm text-gray-600">Plan: {org?.plan === "pro" ? "Pro" : "Free"}</p>
      </section>

      <section className="rounded-lg border p-4">
        <h2 className="font-medium">Invite a teammate</h2>
        <div className="mt-2 flex gap-2">
          <input
            className="flex-1 rounded border px-2 py-1 text-sm"
            placeholder="teammate@company.com"
            value={inviteEmail}
            onChange={(e) => setInviteEmail(e.target.value)}
          />
          <button className="rounded bg-indigo-600 px-3 py-1.5 text-sm text-white" onClick={sendInvite}>
            Create link
          </button>
        </div>
        {inviteLink && <p className="mt-2 break-all text-xs text-gray-600">{inviteLink}</p>}
      </section>
    </div>
  );
}
