use super::*;

const INIT: &str = r#"-- Initial schema generated with the Supabase CLI
create extension if not exists "pgcrypto";

create table public.profiles (
  id uuid references auth.users on delete cascade not null primary key,
  email text,
  full_name text,
  stripe_customer_id text,
  org_id uuid,
  updated_at timestamptz
);

create table if not exists public.invoices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  total real not null,
  status text default 'draft',
  created_at timestamptz not null default now()
);

alter table public.invoices enable row level security;

create policy "Users can view own invoices" on public.invoices
  for select using (auth.uid() = user_id);

/* Keep an audit trail; the function body must not create tables in our model. */
create or replace function public.log_invoice_change()
returns trigger
language plpgsql
security definer
as $$
begin
  insert into public.audit_log (action, payload) values (tg_op, row_to_json(new));
  perform pg_notify('audit', 'create table shadow (id int);');
  return new;
end;
$$;

create trigger on_invoice_change
  after insert or update on public.invoices
  for each row execute procedure public.log_invoice_change();
"#;

const RENAME: &str = "alter table public.invoices rename column total to amount;
create index invoices_user_created_idx on public.invoices (user_id, created_at);
create index on public.invoices using btree (amount);
";

const CLEANUP: &str = "alter table public.profiles drop column full_name;
alter table public.invoices alter column amount type numeric(12, 2) using amount::numeric;
create unique index profiles_email_lower_key on public.profiles (lower(email));
alter table public.profiles add constraint profiles_org_customer_key unique (org_id, stripe_customer_id);
";

fn supabase_history() -> SchemaState {
    replay(&[
        ("supabase/migrations/20240101120000_init.sql", INIT),
        (
            "supabase/migrations/20240215093000_rename_total.sql",
            RENAME,
        ),
        ("supabase/migrations/20240301080000_cleanup.sql", CLEANUP),
    ])
}

fn table_names(state: &SchemaState) -> Vec<String> {
    state.tables.iter().map(Table::qualified_name).collect()
}

fn origin(path: &str, line: u32) -> Origin {
    Origin {
        path: path.to_string(),
        line,
    }
}

#[test]
fn supabase_history_yields_tables_with_origins_and_no_table_from_a_function_body() {
    let state = supabase_history();
    assert_eq!(table_names(&state), ["public.profiles", "public.invoices"]);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    let invoices = state.table("invoices").expect("invoices");
    assert_eq!(
        invoices.origin,
        origin("supabase/migrations/20240101120000_init.sql", 13)
    );
    let user_id = invoices.column("user_id").expect("user_id");
    assert_eq!(user_id.origin.line, 15);
    assert!(!user_id.nullable);
    assert_eq!(
        user_id.references,
        Some(ColumnRef {
            table: "auth.users".into(),
            column: Some("id".into()),
            on_delete: Some("cascade".into())
        })
    );
    let id = invoices.column("id").expect("id");
    assert!(id.primary_key && !id.nullable);
    assert_eq!(id.default.as_deref(), Some("gen_random_uuid()"));
    assert_eq!(
        invoices
            .column("created_at")
            .and_then(|c| c.default.as_deref()),
        Some("now()")
    );
    assert_eq!(
        invoices.column("status").and_then(|c| c.default.as_deref()),
        Some("'draft'")
    );
    assert!(invoices.column("status").is_some_and(|c| c.nullable));
    // `references auth.users` without a column list means the target's primary key.
    let profile_id = state
        .table("profiles")
        .and_then(|t| t.column("id"))
        .expect("profiles.id");
    assert_eq!(
        profile_id
            .references
            .as_ref()
            .map(|r| (r.table.as_str(), r.column.clone())),
        Some(("auth.users", None))
    );
}

#[test]
fn rls_and_policies_are_tracked_per_table() {
    let state = supabase_history();
    let invoices = state.table("public.invoices").expect("invoices");
    assert!(invoices.rls_enabled);
    assert!(!invoices.rls_forced);
    assert_eq!(invoices.policies.len(), 1);
    let policy = &invoices.policies[0];
    assert_eq!(policy.name, "Users can view own invoices");
    assert_eq!(policy.command, PolicyCommand::Select);
    assert_eq!(policy.roles, ["public"]);
    assert_eq!(policy.using.as_deref(), Some("auth.uid() = user_id"));
    assert_eq!(policy.with_check, None);
    assert_eq!(
        policy.origin,
        origin("supabase/migrations/20240101120000_init.sql", 23)
    );
    let profiles = state.table("profiles").expect("profiles");
    assert!(!profiles.rls_enabled && profiles.policies.is_empty());
}

#[test]
fn renamed_column_is_indexed_and_only_the_leading_column_of_a_composite_counts() {
    let state = supabase_history();
    let invoices = state.table("invoices").expect("invoices");
    assert!(invoices.column("total").is_none());
    assert!(
        state.is_indexed("invoices", "amount"),
        "index created on the new name"
    );
    assert!(
        state.is_indexed("invoices", "user_id"),
        "leads invoices_user_created_idx"
    );
    assert!(
        !state.is_indexed("invoices", "created_at"),
        "second column of a composite index"
    );
    assert!(!state.is_indexed("invoices", "status"));
    assert!(state.is_indexed("invoices", "id"), "primary key");
    assert!(!state.is_indexed("invoices", "no_such_column"));
    assert!(!state.is_indexed("no_such_table", "id"));
    let unnamed = invoices
        .indexes
        .iter()
        .find(|i| i.columns == [IndexKey::Column("amount".into())])
        .expect("amount index");
    assert_eq!(unnamed.name, "invoices_amount_idx");
    assert_eq!(
        unnamed.origin,
        origin("supabase/migrations/20240215093000_rename_total.sql", 3)
    );
}

#[test]
fn dropped_column_and_type_change_are_applied_and_reported_as_risky() {
    let state = supabase_history();
    let profiles = state.table("profiles").expect("profiles");
    assert!(profiles.column("full_name").is_none());
    let amount = state
        .table("invoices")
        .and_then(|t| t.column("amount"))
        .expect("amount");
    assert_eq!(amount.data_type, "numeric(12,2)");
    assert!(!amount.is_floating_point());
    let risky: Vec<(RiskyKind, &str, Option<&str>, u32)> = state
        .risky
        .iter()
        .map(|r| (r.kind, r.table.as_str(), r.column.as_deref(), r.origin.line))
        .collect();
    assert_eq!(
        risky,
        [
            (RiskyKind::RenameColumn, "invoices", Some("amount"), 1),
            (RiskyKind::DropColumn, "profiles", Some("full_name"), 1),
            (RiskyKind::AlterColumnType, "invoices", Some("amount"), 2),
        ]
    );
    assert!(
        state.risky[2].detail.contains("real → numeric(12,2)"),
        "{}",
        state.risky[2].detail
    );
    assert!(state.risky[1].origin.path.ends_with("_cleanup.sql"));
}

#[test]
fn uniqueness_counts_single_column_keys_and_expression_indexes_but_not_composites() {
    let state = supabase_history();
    assert!(
        state.has_unique("profiles", "email"),
        "unique index on lower(email)"
    );
    assert!(
        !state.is_indexed("profiles", "email"),
        "an expression index does not serve `email = $1`"
    );
    assert!(
        !state.has_unique("profiles", "stripe_customer_id"),
        "only unique together with org_id"
    );
    let profiles = state.table("profiles").expect("profiles");
    assert!(profiles.in_unique("stripe_customer_id"));
    assert!(
        state.is_indexed("profiles", "org_id"),
        "leads the composite unique constraint"
    );
    assert!(
        state.has_unique("profiles", "id"),
        "single-column primary key"
    );

    let mut later = supabase_history();
    later.apply_sql(
        "supabase/migrations/20240401000000_unique_customer.sql",
        "alter table profiles add constraint profiles_stripe_customer_id_key unique (stripe_customer_id);",
    );
    assert!(later.has_unique("profiles", "stripe_customer_id"));
    assert!(later
        .table("profiles")
        .and_then(|t| t.column("stripe_customer_id"))
        .is_some_and(|c| c.unique));
    later.apply_sql(
        "supabase/migrations/20240402000000_oops.sql",
        "alter table profiles drop constraint profiles_stripe_customer_id_key;",
    );
    assert!(!later.has_unique("profiles", "stripe_customer_id"));
}

#[test]
fn near_misses_in_comments_strings_and_do_blocks_create_nothing() {
    let state = replay(&[(
        "supabase/migrations/20240101000000_tricky.sql",
        "-- create table commented_out (id int);\n\
         /* create table also_commented (id int); /* nested */ create table still_comment (id int); */\n\
         select 'create table in_a_string (id int);';\n\
         do $do$ begin execute 'create table dynamic_table (id int)'; end $do$;\n\
         create table real_one (id bigint generated always as identity primary key);",
    )]);
    assert_eq!(table_names(&state), ["public.real_one"]);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    assert!(state.is_indexed("real_one", "id"));
}

#[test]
fn rename_table_then_index_on_the_new_name_and_foreign_keys_follow() {
    let state = replay(&[
        ("db/0001_init.sql", "create table customers (id serial primary key, email text not null);\ncreate table orders (id serial primary key, customer_id int references customers (id));"),
        ("db/0002_rename.sql", "alter table customers rename to accounts;\nalter table orders rename column customer_id to account_id;\ncreate index orders_account_idx on orders (account_id);\ncreate index on accounts (email);"),
    ]);
    assert_eq!(table_names(&state), ["public.accounts", "public.orders"]);
    assert!(state.table("customers").is_none());
    assert!(state.is_indexed("accounts", "email"));
    assert!(state.is_indexed("orders", "account_id"));
    let account_id = state
        .table("orders")
        .and_then(|t| t.column("account_id"))
        .expect("account_id");
    assert_eq!(
        account_id.references.as_ref().map(|r| r.table.as_str()),
        Some("public.accounts")
    );
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    let kinds: Vec<RiskyKind> = state.risky.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RiskyKind::RenameTable, RiskyKind::RenameColumn]);
}

#[test]
fn policies_are_replaced_altered_and_dropped() {
    let state = replay(&[
        ("m/001.sql", "create table notes (id uuid primary key, owner uuid);\nalter table notes enable row level security;\nalter table notes force row level security;\ncreate policy \"Anyone can read\" on notes for select to anon, authenticated using (true);\ncreate policy owner_write on notes for insert to authenticated with check (auth.uid() = owner);"),
        ("m/002.sql", "alter policy \"Anyone can read\" on notes to authenticated using (auth.uid() = owner);\ndrop policy if exists owner_write on notes;\ndrop policy if exists never_existed on notes;"),
    ]);
    let notes = state.table("notes").expect("notes");
    assert!(notes.rls_enabled && notes.rls_forced);
    assert_eq!(notes.policies.len(), 1);
    assert_eq!(notes.policies[0].roles, ["authenticated"]);
    assert_eq!(
        notes.policies[0].using.as_deref(),
        Some("auth.uid() = owner")
    );
    assert_eq!(notes.policies[0].origin, origin("m/002.sql", 1));
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
}

#[test]
fn pg_dump_style_with_quoted_names_and_constraints_added_later() {
    let dump = r#"CREATE TABLE IF NOT EXISTS "public"."Invoices" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "user_id" "uuid" NOT NULL,
    "amount" double precision
);
ALTER TABLE "public"."Invoices" OWNER TO "postgres";
ALTER TABLE ONLY "public"."Invoices"
    ADD CONSTRAINT "Invoices_pkey" PRIMARY KEY ("id");
ALTER TABLE ONLY "public"."Invoices"
    ADD CONSTRAINT "Invoices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE CASCADE;
CREATE INDEX "idx_invoices_user" ON "public"."Invoices" USING "btree" ("user_id");
ALTER TABLE "public"."Invoices" ENABLE ROW LEVEL SECURITY;
"#;
    let state = replay(&[("supabase/migrations/20240101000000_remote_schema.sql", dump)]);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    assert!(
        state.table("invoices").is_some(),
        "case-insensitive fallback"
    );
    let invoices = state.table("Invoices").expect("Invoices");
    assert!(invoices
        .column("id")
        .is_some_and(|c| c.primary_key && !c.nullable));
    assert!(invoices
        .column("amount")
        .is_some_and(Column::is_floating_point));
    assert_eq!(
        invoices
            .column("user_id")
            .and_then(|c| c.references.as_ref())
            .map(|r| r.table.as_str()),
        Some("auth.users")
    );
    assert!(invoices.is_indexed("user_id"));
    assert_eq!(invoices.indexes[0].origin.line, 8);
    assert!(invoices.rls_enabled);
}

#[test]
fn only_the_up_part_of_single_file_migrations_is_applied() {
    let dbmate = "-- migrate:up\ncreate table events (id bigserial primary key, kind text);\n\n-- migrate:down\ndrop table events;\n";
    let goose = "-- +goose Up\n-- +goose StatementBegin\nalter table events add column payload jsonb;\n-- +goose StatementEnd\n\n-- +goose Down\nalter table events drop column payload;\n";
    let state = replay(&[
        ("db/migrations/20240101000000_events.sql", dbmate),
        ("db/migrations/20240102000000_payload.sql", goose),
    ]);
    assert!(state
        .table("events")
        .is_some_and(|t| t.column("payload").is_some()));
    assert!(state.risky.is_empty(), "{:?}", state.risky);
}

#[test]
fn enum_changes_other_than_adding_a_value_are_risky() {
    let state = replay(&[(
        "m/1.sql",
        "create type invoice_status as enum ('draft', 'sent');\nalter type invoice_status add value if not exists 'void';\nalter type invoice_status rename value 'sent' to 'issued';",
    )]);
    let risky: Vec<(RiskyKind, u32)> = state
        .risky
        .iter()
        .map(|r| (r.kind, r.origin.line))
        .collect();
    assert_eq!(risky, [(RiskyKind::AlterType, 3)]);
}

#[test]
fn composite_primary_keys_sequence_defaults_and_identity_columns() {
    let state = replay(&[(
        "supabase/migrations/20240101000000_remote_schema.sql",
        r#"CREATE TABLE IF NOT EXISTS "public"."jargon_category" ("jargon_id" "uuid" NOT NULL, "category_id" integer NOT NULL);
CREATE TABLE IF NOT EXISTS "public"."category" ("id" integer NOT NULL, "name" "text" NOT NULL);
create table public.events (id bigint generated by default as identity primary key, seq serial, kind text);
ALTER TABLE ONLY "public"."category" ALTER COLUMN "id" SET DEFAULT "nextval"('"public"."category_id_seq"'::"regclass");
ALTER TABLE ONLY "public"."jargon_category"
    ADD CONSTRAINT "jargon_category_pkey" PRIMARY KEY ("jargon_id", "category_id");
"#,
    )]);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    let link = state.table("jargon_category").expect("link table");
    assert!(link.columns.iter().all(|c| c.primary_key));
    assert!(state.is_indexed("jargon_category", "jargon_id"));
    assert!(
        !state.is_indexed("jargon_category", "category_id"),
        "second column of the primary key"
    );
    assert!(!state.has_unique("jargon_category", "jargon_id"));
    let category_id = state
        .table("category")
        .and_then(|t| t.column("id"))
        .expect("category.id");
    assert_eq!(
        category_id.default.as_deref(),
        Some(r#""nextval"('"public"."category_id_seq"'::"regclass")"#)
    );
    assert_eq!(category_id.data_type, "integer");
    let events = state.table("events").expect("events");
    assert!(events
        .column("id")
        .is_some_and(|c| c.primary_key && c.data_type == "bigint"));
    assert!(events.column("seq").is_some_and(|c| !c.nullable));
    assert!(events.column("kind").is_some_and(|c| c.nullable));
}

#[test]
fn drops_remove_tables_and_indexes() {
    let state = replay(&[
        ("m/1.sql", "create table a (id int primary key, x int); create index a_x on a (x); create table b (id int);"),
        ("m/2.sql", "drop index if exists public.a_x; drop table if exists b, never_was cascade; truncate a;"),
    ]);
    assert_eq!(table_names(&state), ["public.a"]);
    assert!(!state.is_indexed("a", "x"));
    let kinds: Vec<RiskyKind> = state.risky.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RiskyKind::DropTable, RiskyKind::Truncate]);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
}

#[test]
fn problems_become_diagnostics_and_replay_goes_on() {
    let state = replay(&[(
        "supabase/migrations/20240101000000_x.sql",
        "create table ok (id int);\n\
         alter table missing add column y int;\n\
         create policy \"Public read\" on storage.objects for select using (bucket_id = 'avatars');\n\
         alter table ok add constraint ok_y_key unique (y);\n\
         create index on ok;\n\
         create table ok (id int);\n\
         alter table ok add column z int;\n\
         create table billing.accounts (id int);\n\
         alter table billing.ledger enable row level security;",
    )]);
    let lines: Vec<u32> = state.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 4, 5, 6, 9], "{:?}", state.diagnostics);
    assert!(state
        .diagnostics
        .iter()
        .all(|d| d.path == "supabase/migrations/20240101000000_x.sql"));
    assert!(state.table("ok").is_some_and(|t| t.column("z").is_some()));
}

const PRISMA: &str = r#"// This is your Prisma schema file
generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL") // not a model
}

enum Plan {
  FREE
  PRO
}

model User {
  id        String   @id @default(uuid())
  email     String   @unique
  name      String?
  plan      Plan     @default(FREE)
  stripeId  String?  @map("stripe_customer_id") // "//" inside a comment
  orders    Order[]
  createdAt DateTime @default(now()) @map("created_at")

  @@map("users")
}

model Order {
  id         Int      @id @default(autoincrement())
  user       User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  userId     String   @map("user_id")
  total      Float
  amount     Decimal  @db.Decimal(10, 2)
  slug       String
  tags       String[]
  status     String   @default("pending // not a comment")
  createdAt  DateTime @default(now())

  @@unique([userId, slug])
  @@index([userId, createdAt(sort: Desc)])
  @@index([status], map: "orders_status_lookup")
  @@map("orders")
}
"#;

#[test]
fn prisma_schema_becomes_tables_with_keys_indexes_and_relations() {
    let state = from_prisma("prisma/schema.prisma", PRISMA);
    assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
    assert_eq!(table_names(&state), ["public.users", "public.orders"]);
    let users = state.table("User").expect("by model name");
    assert_eq!(users.name, "users");
    assert_eq!(users.origin, origin("prisma/schema.prisma", 16));
    let columns: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        columns,
        [
            "id",
            "email",
            "name",
            "plan",
            "stripe_customer_id",
            "created_at"
        ],
        "relation list is not a column"
    );
    assert!(state.has_unique("users", "email"));
    assert!(state.has_unique("users", "id"));
    assert!(!state.has_unique("users", "stripeId"));
    assert!(users
        .column("stripeId")
        .is_some_and(|c| c.name == "stripe_customer_id" && c.nullable));
    assert!(users.column("name").is_some_and(|c| c.nullable));
    assert!(users.column("email").is_some_and(|c| !c.nullable));
    assert_eq!(
        users.column("plan").and_then(|c| c.default.as_deref()),
        Some("FREE")
    );

    let orders = state.table("orders").expect("orders");
    assert!(orders.column("user").is_none());
    let user_id = orders.column("userId").expect("userId");
    assert_eq!(user_id.name, "user_id");
    assert_eq!(
        user_id.references,
        Some(ColumnRef {
            table: "public.users".into(),
            column: Some("id".into()),
            on_delete: Some("cascade".into())
        })
    );
    assert!(orders
        .column("total")
        .is_some_and(Column::is_floating_point));
    let amount = orders.column("amount").expect("amount");
    assert_eq!(amount.data_type, "Decimal @db.Decimal(10, 2)");
    assert!(!amount.is_floating_point());
    assert_eq!(
        orders.column("tags").map(|c| c.data_type.as_str()),
        Some("String[]")
    );
    assert_eq!(
        orders.column("status").and_then(|c| c.default.as_deref()),
        Some("\"pending // not a comment\"")
    );
    assert!(state.is_indexed("orders", "userId"));
    assert!(state.is_indexed("orders", "status"));
    assert!(
        !state.is_indexed("orders", "createdAt"),
        "second in @@index"
    );
    assert!(!state.is_indexed("orders", "slug"), "second in @@unique");
    assert!(!state.has_unique("orders", "slug"));
    let names: Vec<&str> = orders.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "orders_pkey",
            "orders_user_id_slug_key",
            "orders_user_id_createdAt_idx",
            "orders_status_lookup"
        ]
    );
    assert_eq!(orders.indexes[2].origin.line, 40);
}

#[test]
fn prisma_migrations_and_schema_merge_into_one_state() {
    let migration = r#"-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
"#;
    let mut state = replay(&[(
        "prisma/migrations/20240101120000_init/migration.sql",
        migration,
    )]);
    state.merge(from_prisma("prisma/schema.prisma", PRISMA));
    assert_eq!(table_names(&state), ["public.users", "public.orders"]);
    let users = state
        .table("User")
        .expect("model name attached to the migrated table");
    assert_eq!(
        users.origin.path,
        "prisma/migrations/20240101120000_init/migration.sql"
    );
    let email_indexes = users
        .indexes
        .iter()
        .filter(|i| i.columns == [IndexKey::Column("email".into())])
        .count();
    assert_eq!(email_indexes, 1, "the same unique index is not added twice");
    assert_eq!(
        users.column("email").and_then(|c| c.field.as_deref()),
        Some("email")
    );
    // Declared in schema.prisma but not migrated yet: still known, with its Prisma origin.
    let stripe = users.column("stripeId").expect("merged column");
    assert_eq!(stripe.origin.path, "prisma/schema.prisma");
}

#[test]
fn prisma_reader_reports_unreadable_lines_and_keeps_going() {
    let state = from_prisma(
        "schema.prisma",
        "model A {\n  id Int @id\n  ???\n}\nstray line\nmodel B {\n  id Int @id\n",
    );
    let lines: Vec<u32> = state.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [3, 5, 7]);
    assert_eq!(table_names(&state), ["public.A", "public.B"]);
}

#[test]
fn migration_order_sorts_by_migration_name_and_skips_down_files() {
    let paths = [
        "supabase/migrations/20240301080000_cleanup.sql",
        "prisma/migrations/20240101120000_init/migration.sql",
        "supabase/migrations/20240101120001_profiles.sql",
        "db/migrations/10_add_index.sql",
        "db/migrations/2_add_users.sql",
        "db/migrations/000003_orders.up.sql",
        "db/migrations/000003_orders.down.sql",
        "db/migrations/seed.sql",
        "migrations/0004_tags/down.sql",
        "migrations/0004_tags/up.sql",
    ];
    assert_eq!(
        migration_order(&paths),
        [
            "db/migrations/2_add_users.sql",
            "db/migrations/000003_orders.up.sql",
            "migrations/0004_tags/up.sql",
            "db/migrations/10_add_index.sql",
            "prisma/migrations/20240101120000_init/migration.sql",
            "supabase/migrations/20240101120001_profiles.sql",
            "supabase/migrations/20240301080000_cleanup.sql",
            "db/migrations/seed.sql",
        ]
    );
}

#[test]
fn floating_point_types_are_recognised() {
    for float in [
        "real",
        "float4",
        "float8",
        "double precision",
        "float(53)",
        "Float",
        "Float @db.Real",
        "real[]",
    ] {
        assert!(is_floating_point_type(float), "{float}");
    }
    for exact in [
        "numeric(10,2)",
        "decimal",
        "Decimal @db.Decimal(10, 2)",
        "bigint",
        "money",
        "integer",
        "floaty_enum",
    ] {
        assert!(!is_floating_point_type(exact), "{exact}");
    }
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn replay_and_prisma_never_panic_on_garbage_or_truncated_input() {
    let full = format!("{INIT}{RENAME}{CLEANUP}");
    for end in (0..full.len()).step_by(7) {
        if full.is_char_boundary(end) {
            let _ = replay(&[("a.sql", &full[..end]), ("b.sql", CLEANUP)]);
        }
    }
    for end in 0..PRISMA.len() {
        let _ = from_prisma("schema.prisma", &PRISMA[..end]);
    }
    let alphabet: &[u8] = b"(){}[]@,.:;'\"$/*-\n ?acdeilmnoprstuxyADMUI0123456789\\";
    let mut seed = 0xDEAD_BEEF_CAFE_F00Du64;
    for _ in 0..1000 {
        let length = (xorshift(&mut seed) % 300) as usize;
        let text: Vec<u8> = (0..length)
            .map(|_| alphabet[(xorshift(&mut seed) % alphabet.len() as u64) as usize])
            .collect();
        let text = String::from_utf8_lossy(&text);
        let _ = replay(&[("r.sql", &text)]);
        let _ = from_prisma("r.prisma", &format!("model M {{\n{text}\n}}"));
        let _ = from_prisma("r.prisma", &text);
    }
}
