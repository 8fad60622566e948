; AUTH: names bound to values (query = f"…", router = APIRouter(…)).
(assignment left: (_) @name right: (_) @value) @decl
