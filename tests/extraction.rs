//! Extraction snapshots, one realistic file per language: imports with their raw specifier
//! and line, definitions with line ranges, lines of code, comment lines and complexity.

use plumb::extract::extract;
use plumb::lang::Lang;

fn check(name: &str, lang: Lang, source: &str) {
    let facts = extract(lang, source).unwrap_or_else(|e| panic!("{name}: {e}"));
    insta::assert_json_snapshot!(name, facts);
}

#[test]
fn typescript_supabase_edge_function() {
    check(
        "typescript_edge_function",
        Lang::TypeScript,
        r#"// Supabase edge function: create a Stripe checkout session
import { serve } from "https://deno.land/std@0.168.0/http/server.ts";
import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { createClient } from "npm:@supabase/supabase-js@2";
import { corsHeaders } from "../_shared/cors.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY") ?? "", { apiVersion: "2023-10-16" });

interface CheckoutBody {
  priceId: string;
  quantity?: number;
}

export type Plan = "free" | "pro";

async function getUser(req: Request) {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
  const token = req.headers.get("Authorization")?.replace("Bearer ", "");
  if (!token) return null;
  const { data } = await supabase.auth.getUser(token);
  return data.user;
}

serve(async (req) => {
  if (req.method === "OPTIONS") {
    return new Response("ok", { headers: corsHeaders });
  }
  try {
    const user = await getUser(req);
    const { priceId, quantity }: CheckoutBody = await req.json();
    const session = await stripe.checkout.sessions.create({
      line_items: [{ price: priceId, quantity: quantity || 1 }],
      mode: "subscription",
      customer_email: user?.email,
    });
    return new Response(JSON.stringify({ url: session.url }), { headers: corsHeaders });
  } catch (error) {
    /* surface the message to the client */
    return new Response(JSON.stringify({ error: error.message }), { status: 400 });
  }
});
"#,
    );
}

#[test]
fn tsx_react_page_with_hook() {
    check(
        "tsx_react_page",
        Lang::Tsx,
        r#"import { useEffect, useState } from "react";
import { supabase } from "@/lib/supabase";
import { InvoiceRow } from "@/components/InvoiceRow";
import type { Invoice } from "@/types";

export function useInvoices(orgId: string) {
  const [invoices, setInvoices] = useState<Invoice[]>([]);
  useEffect(() => {
    supabase.from("invoices").select("*").eq("org_id", orgId).then(({ data }) => setInvoices(data ?? []));
  }, [orgId]);
  return invoices;
}

const EmptyState = () => <p className="text-muted">No invoices yet</p>;

export default function InvoicesPage({ orgId }: { orgId: string }) {
  const invoices = useInvoices(orgId);
  if (!invoices.length) return <EmptyState />;
  return (
    <ul>
      {invoices.map((inv) => (inv.paid ? <InvoiceRow key={inv.id} invoice={inv} /> : null))}
    </ul>
  );
}

export class ErrorBoundary extends React.Component {
  render() {
    return this.props.children;
  }
}
"#,
    );
}

#[test]
fn javascript_commonjs_and_esm() {
    check(
        "javascript_express",
        Lang::JavaScript,
        r#"'use strict';
const express = require('express');
const { Pool } = require('pg');
const routes = require('./routes');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

// List orders for the dashboard
async function listOrders(req, res) {
  const { rows } = await pool.query('SELECT * FROM orders WHERE user_id = $1', [req.user.id]);
  res.json(rows);
}

class OrderService {
  constructor(db) {
    this.db = db;
  }
  async total(id) {
    const r = await this.db.query('SELECT sum(amount) FROM items WHERE order_id = $1', [id]);
    return r.rows[0]?.sum || 0;
  }
}

const app = express();
app.get('/orders', listOrders);
app.use('/api', routes);
const lazy = () => import('./lazy.mjs');

module.exports = { app, OrderService, lazy };
"#,
    );
}

#[test]
fn python_fastapi_service() {
    check(
        "python_fastapi",
        Lang::Python,
        r#""""Reports service."""
import os
import logging as log
from datetime import datetime
from fastapi import FastAPI, Depends, HTTPException
from sqlalchemy.orm import Session
from .db import get_session
from ..auth import get_current_user
from . import models

app = FastAPI()


# Monthly revenue per organisation
@app.get("/reports/{org_id}")
def revenue(org_id: str, db: Session = Depends(get_session), user=Depends(get_current_user)):
    if user.org_id != org_id:
        raise HTTPException(status_code=403)
    rows = db.execute("SELECT sum(amount) FROM payments WHERE org_id = :org", {"org": org_id})
    return [dict(r) for r in rows if r is not None]


class ReportBuilder:
    def __init__(self, db):
        self.db = db

    @staticmethod
    def month_key(d: datetime) -> str:
        return d.strftime("%Y-%m") if d else ""


def _private_helper():
    try:
        return os.environ["REPORTS_TOKEN"]
    except KeyError:
        return None
"#,
    );
}

#[test]
fn go_http_handler() {
    check(
        "go_handler",
        Lang::Go,
        r#"package api

import (
	"encoding/json"
	"net/http"

	"github.com/acme/invoicely/internal/store"
)

// Server serves the public API.
type Server struct {
	db *store.DB
}

type Handler interface {
	ServeHTTP(w http.ResponseWriter, r *http.Request)
}

func (s *Server) Invoice(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" || r.Method != http.MethodGet {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	inv, err := s.db.Invoice(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(inv)
}

func newServer(db *store.DB) *Server {
	return &Server{db: db}
}
"#,
    );
}

#[test]
fn rust_module() {
    check(
        "rust_module",
        Lang::Rust,
        r#"//! Billing.
use std::collections::HashMap;
use crate::store::{Db, Error};

mod tax;
pub mod invoices;

/// An amount in cents.
pub struct Money(i64);

pub trait Priced {
    fn price(&self) -> Money;
}

impl Money {
    pub fn add(&self, other: &Money) -> Money {
        Money(self.0 + other.0)
    }
}

pub fn total(items: &[Money], discounts: &HashMap<String, i64>) -> Result<Money, Error> {
    let mut sum = 0;
    for item in items {
        if item.0 < 0 && discounts.is_empty() {
            return Err(Error::Negative);
        }
        sum += item.0;
    }
    Ok(Money(sum))
}

fn helper(db: &Db) -> Option<i64> {
    let v = db.get("k")?;
    match v {
        0 => None,
        n => Some(n),
    }
}
"#,
    );
}

#[test]
fn java_spring_controller() {
    check(
        "java_controller",
        Lang::Java,
        r#"package com.acme.billing;

import java.util.List;
import org.springframework.web.bind.annotation.*;

/** Invoices API. */
@RestController
public class InvoiceController {
    private final InvoiceRepository repo;

    public InvoiceController(InvoiceRepository repo) {
        this.repo = repo;
    }

    @GetMapping("/invoices")
    public List<Invoice> list(@RequestParam(required = false) String status) {
        if (status == null || status.isEmpty()) {
            return repo.findAll();
        }
        return repo.findByStatus(status);
    }

    void audit(String msg) {
        // no-op for now
    }
}

interface InvoiceRepository {
    List<Invoice> findAll();
}
"#,
    );
}

#[test]
fn ruby_rails_controller() {
    check(
        "ruby_controller",
        Lang::Ruby,
        r#"require "stripe"
require_relative "../services/billing"

# Handles Stripe events
class WebhooksController < ApplicationController
  skip_before_action :verify_authenticity_token

  def create
    event = Stripe::Webhook.construct_event(request.body.read, request.headers["Stripe-Signature"], ENV["STRIPE_WEBHOOK_SECRET"])
    case event.type
    when "invoice.paid"
      Billing.mark_paid(event.data.object) unless event.livemode == false
    when "customer.deleted"
      Billing.archive(event.data.object)
    end
    head :ok
  rescue Stripe::SignatureVerificationError
    head :bad_request
  end
end

module Billing
  def self.mark_paid(invoice)
    invoice.paid = true
  end
end
"#,
    );
}
