alter table public.organizations
  add column plan text not null default 'free',
  add column stripe_customer_id text;
