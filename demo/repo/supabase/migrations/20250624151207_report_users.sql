-- Accounts for the reports service (separate login for the accountant view).
create table public.report_users (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations(id),
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);
