alter table public.invoices add column reminder_sent_at timestamptz;

create index invoices_status_due_date_idx on public.invoices (status, due_date);
