import { supabase } from "@/lib/supabase";

function generateInviteToken(length = 24) {
  const chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  let token = "";
  for (let i = 0; i < length; i++) {
    token += chars.charAt(Math.floor(Math.random() * chars.length));
  }
  return token;
}

export async function createInvite(orgId: string, email: string) {
  const token = generateInviteToken();
  const { data, error } = await supabase
    .from("invites")
    .insert({ org_id: orgId, email, token })
    .select()
    .single();
  if (error) throw error;
  return `${window.location.origin}/login?invite=${data.id}&token=${token}`;
}
