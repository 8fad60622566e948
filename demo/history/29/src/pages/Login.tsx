import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { acceptInvite, signIn } from "@/lib/auth";

export default function Login() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const inviteId = params.get("invite");
  const inviteToken = params.get("token");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fullName, setFullName] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (inviteId && inviteToken) {
        await acceptInvite(inviteId, inviteToken, password, fullName);
      } else {
        await signIn(email, password);
      }
      navigate("/");
    } catch (err: any) {
      toast.error(err.message ?? "Sign in failed");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-screen items-center justify-center bg-gray-50">
      <form onSubmit={submit} className="w-80 space-y-3 rounded-lg border bg-white p-6">
        <h1 className="text-lg font-semibold">{inviteId ? "Join your team" : "Sign in to Invoicely"}</h1>
        {inviteId ? (
          <input className="w-full rounded border px-2 py-1.5 text-sm" placeholder="Full name" value={fullName} onChange={(e) => setFullName(e.target.value)} />
        ) : (
          <input className="w-full rounded border px-2 py-1.5 text-sm" placeholder="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
        <input className="w-full rounded border px-2 py-1.5 text-sm" placeholder="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <button disabled={busy} className="w-full rounded bg-indigo-600 py-2 text-sm text-white disabled:opacity-50">
          {inviteId ? "Create account" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
