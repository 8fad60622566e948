-- Customer details now live in public.customers.
alter table public.invoices drop column customer_name;
alter table public.invoices drop column customer_email;

alter table public.invoices alter column due_date type date using due_date::date;
