import os
from contextlib import contextmanager

import psycopg2

DATABASE_URL = os.environ.get(
    "DATABASE_URL",
    "postgresql://postgres@db.qzkvbmlxwhrtpfoyjcda.supabase.co:5432/postgres",
)


@contextmanager
def get_conn():
    conn = psycopg2.connect(DATABASE_URL)
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()
