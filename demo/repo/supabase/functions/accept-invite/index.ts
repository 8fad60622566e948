import { corsHeaders, json } from "../_shared/cors.ts";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }

  const { inviteId, token, password, fullName } = await req.json();
  console.log("Accepting invite", { inviteId, token });

  const { data: invite } = await supabaseAdmin
    .from("invites")
    .select("id, org_id, email, token, accepted_at")
    .eq("id", inviteId)
    .single();

  if (!invite || invite.token !== token || invite.accepted_at) {
    return json({ error: "Invalid or expired invite" }, 400);
  }

  const { data: created, error } = await supabaseAdmin.auth.admin.createUser({
    email: invite.email,
    password,
    email_confirm: true,
    user_metadata: { full_name: fullName },
  });
  if (error) {
    return json({ error: error.message }, 400);
  }

  await supabaseAdmin.from("profiles").update({ org_id: invite.org_id }).eq("id", created.user.id);
  await supabaseAdmin.from("invites").update({ accepted_at: new Date().toISOString() }).eq("id", invite.id);

  return json({ email: invite.email });
});
