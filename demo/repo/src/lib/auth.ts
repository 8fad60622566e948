import { supabase } from "@/lib/supabase";
import { apiPost } from "@/lib/api";

export async function getAccessToken() {
  const { data } = await supabase.auth.getSession();
  return data.session?.access_token ?? null;
}

export async function signIn(email: string, password: string) {
  const { data, error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return data.user;
}

export async function acceptInvite(inviteId: string, token: string, password: string, fullName: string) {
  const { email } = await apiPost<{ email: string }>("/accept-invite", {
    inviteId,
    token,
    password,
    fullName,
  });
  return signIn(email, password);
}

export async function signOut() {
  await supabase.auth.signOut();
  window.location.href = "/login";
}
