create table public.invites (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations(id),
  email text not null,
  token text not null,
  accepted_at timestamptz,
  created_at timestamptz not null default now()
);

alter table public.invites enable row level security;

create policy "Members can create invites for their org" on public.invites
  for insert with check (org_id in (select org_id from public.profiles where id = auth.uid()));

create policy "Members can view invites for their org" on public.invites
  for select using (org_id in (select org_id from public.profiles where id = auth.uid()));
