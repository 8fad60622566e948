create table public.audit_log (
  id bigint generated always as identity primary key,
  actor_id uuid references auth.users(id),
  action text not null,
  entity_id uuid,
  created_at timestamptz not null default now()
);

alter table public.audit_log enable row level security;

create policy "Users can write their own audit entries" on public.audit_log
  for insert with check (auth.uid() = actor_id);

create policy "Users can read their own audit entries" on public.audit_log
  for select using (auth.uid() = actor_id);
