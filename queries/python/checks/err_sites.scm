; ERR: the places where exceptions are caught and calls left un-awaited. Read by src/checks/err.rs.

; try: … except …: …
(try_statement
  body: (block) @try.body
  (except_clause (block) @catch.body) @catch)

; call() as a statement
(expression_statement (call) @float.call) @float

; function bodies
(function_definition body: (block) @scope)

; async def name(): …
(function_definition "async" name: (identifier) @async.name body: (block) @async.body)

; raise statements and error results, for the style distribution
(raise_statement) @style.throw
(return_statement
  (dictionary (pair key: (string (string_content) @_k (#match? @_k "^(error|errors|ok|success)$"))))) @style.result
