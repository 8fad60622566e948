create table public.customers (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations(id),
  name text not null,
  email text,
  created_at timestamptz not null default now()
);

create index customers_org_id_idx on public.customers (org_id);

alter table public.customers enable row level security;

create policy "Members can manage org customers" on public.customers
  for all using (org_id in (select org_id from public.profiles where id = auth.uid()));

alter table public.invoices
  add column customer_id uuid references public.customers(id);
