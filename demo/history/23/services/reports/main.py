from datetime import datetime

from fastapi import FastAPI

from db import get_conn

app = FastAPI(title="Invoicely Reports")


@app.get("/reports/revenue")
def revenue_report(org_id: str, start: str, end: str):
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
    print(f"revenue report for {org_id}: {len(rows)} months")
    return [{"month": r[0].strftime("%Y-%m"), "revenue": float(r[1])} for r in rows]


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

