import hashlib
import os
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from db import get_conn

JWT_SECRET = os.environ["REPORTS_JWT_SECRET"]

router = APIRouter()
bearer = HTTPBearer()


class LoginRequest(BaseModel):
    email: str
    password: str


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()


@router.post("/auth/login")
def login(body: LoginRequest):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, org_id, password_hash FROM report_users WHERE email = %s",
            (body.email,),
        )
        row = cur.fetchone()
    if not row or row[2] != hash_password(body.password):
        raise HTTPException(status_code=401, detail="Invalid email or password")

    expires = datetime.now(timezone.utc) + timedelta(hours=12)
    token = jwt.encode(
        {"sub": str(row[0]), "org_id": str(row[1]), "exp": expires},
        JWT_SECRET,
        algorithm="HS256",
    )
    return {"access_token": token, "token_type": "bearer"}


def get_current_user(creds: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    try:
        return jwt.decode(creds.credentials, JWT_SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Invalid or expired token")
