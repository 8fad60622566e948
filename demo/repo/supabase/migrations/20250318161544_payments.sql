create table public.payments (
  id uuid primary key default gen_random_uuid(),
  invoice_id uuid not null references public.invoices(id),
  amount real not null,
  stripe_payment_intent text,
  paid_at timestamptz not null default now()
);

create index payments_invoice_id_idx on public.payments (invoice_id);

alter table public.payments enable row level security;

create policy "Payments are viewable" on public.payments
  for select using (true);
