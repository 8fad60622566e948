alter table public.invoices rename column total to amount;

alter table public.invoices
  add column currency text not null default 'usd',
  add column tax_rate numeric(5,2) not null default 0,
  add column discount numeric(5,2) not null default 0;

create sequence public.invoice_number_seq;

alter table public.invoices
  alter column number set default ('INV-' || lpad(nextval('public.invoice_number_seq')::text, 5, '0'));
