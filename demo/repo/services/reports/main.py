from datetime import datetime, timezone

import requests
from fastapi import Depends, FastAPI, Query

from auth import get_current_user
from auth import router as auth_router
from db import get_conn

app = FastAPI(title="Invoicely Reports")
app.include_router(auth_router)

FX_API = "https://api.exchangerate.host/latest"


def usd_rate(currency: str) -> float:
    rate = 1.0
    try:
        resp = requests.get(f"{FX_API}?base={currency.upper()}&symbols=USD")
        rate = resp.json()["rates"]["USD"]
    except:
        pass
    return rate


@app.get("/reports/revenue")
def revenue_report(org_id: str, start: str, end: str, currency: str = "usd", user: dict = Depends(get_current_user)):
    query = f"""
        SELECT date_trunc('month', created_at) AS month, sum(amount) AS revenue
        FROM invoices
        WHERE org_id = '{org_id}' AND status = 'paid'
          AND created_at BETWEEN '{start}' AND '{end}'
        GROUP BY 1 ORDER BY 1
    """
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute(query)
        rows = cur.fetchall()
    rate = usd_rate(currency) if currency != "usd" else 1.0
    print(f"revenue report for {org_id}: {len(rows)} months")
    return [{"month": r[0].strftime("%Y-%m"), "revenue": float(r[1]) * rate} for r in rows]


@app.get("/reports/export")
def export_invoices(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, number, status, amount, currency, due_date, created_at "
            "FROM invoices WHERE org_id = %s ORDER BY created_at DESC",
            (org_id,),
        )
        rows = cur.fetchall()
    return {
        "generated_at": datetime.now().isoformat(),
        "invoices": [
            {
                "id": str(r[0]),
                "number": r[1],
                "status": r[2],
                "amount": r[3],
                "currency": r[4],
                "due_date": r[5].isoformat() if r[5] else None,
                "created_at": r[6].isoformat(),
            }
            for r in rows
        ],
    }


@app.get("/reports/top-customers")
def top_customers(limit: int = Query(20, ge=1, le=100), user: dict = Depends(get_current_user)):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT c.id, c.name, sum(i.amount) AS billed "
            "FROM customers c JOIN invoices i ON i.customer_id = c.id "
            "WHERE c.org_id = %s GROUP BY c.id, c.name "
            "ORDER BY billed DESC LIMIT %s",
            (user["org_id"], limit),
        )
        rows = cur.fetchall()
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(),
        "customers": [{"id": str(r[0]), "name": r[1], "billed": float(r[2])} for r in rows],
    }
