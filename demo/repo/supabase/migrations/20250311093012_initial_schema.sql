-- Organizations own invoices; every profile belongs to one organization.
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now()
);

create table public.profiles (
  id uuid primary key references auth.users(id) on delete cascade,
  org_id uuid references public.organizations(id),
  full_name text,
  email text not null,
  role text not null default 'member',
  created_at timestamptz not null default now()
);

create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations(id),
  number text not null,
  customer_name text not null,
  customer_email text,
  status text not null default 'draft',
  total real not null default 0,
  due_date text,
  notes text,
  created_at timestamptz not null default now()
);

create table public.invoice_items (
  id uuid primary key default gen_random_uuid(),
  invoice_id uuid not null references public.invoices(id) on delete cascade,
  description text not null,
  quantity integer not null default 1,
  unit_price float8 not null default 0
);

alter table public.organizations enable row level security;
alter table public.profiles enable row level security;
alter table public.invoices enable row level security;

create policy "Users can view their own profile" on public.profiles
  for select using (auth.uid() = id);

create policy "Users can update their own profile" on public.profiles
  for update using (auth.uid() = id);

create policy "Members can view their organization" on public.organizations
  for select using (id in (select org_id from public.profiles where id = auth.uid()));

create policy "Members can manage org invoices" on public.invoices
  for all using (org_id in (select org_id from public.profiles where id = auth.uid()));

create function public.handle_new_user()
returns trigger
language plpgsql
security definer set search_path = public
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (new.id, new.email, new.raw_user_meta_data ->> 'full_name');
  return new;
end;
$$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute procedure public.handle_new_user();
